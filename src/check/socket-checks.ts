// Looks at a socket of QEMU's the way a collector will use it: it exists, it is a socket, it
// accepts a connection and (QMP) QEMU greets. The connection is closed at once; QEMU takes a
// client leaving in its stride.
import { createConnection, type Socket } from 'node:net';
import { diagnoseSocket } from '../collectors/unix-client/socket-diagnosis';
import { fail, ok, type CheckResult } from './check-result';

// QEMU accepts and greets within milliseconds; a few seconds covers a loaded host.
const CONNECT_TIMEOUT_MS = 3000;
const GREETING_TIMEOUT_MS = 3000;
// QEMU's greeting is a few hundred bytes; anything longer before a newline is not QMP.
const MAX_GREETING_BYTES = 64 * 1024;

/** Whether `path` accepts a connection. */
export async function checkSocket(subject: string, path: string, qemuArgument: string): Promise<CheckResult> {
  const connected = await connect(path);
  if (typeof connected === 'string') return fail(subject, diagnoseSocket(path, connected, qemuArgument));
  connected.destroy();
  return ok(subject, `${path} accepts connections`);
}

/** Whether `path` accepts a connection and QEMU's monitor greets on it. */
export async function checkQmpGreeting(subject: string, path: string, qemuArgument: string): Promise<CheckResult> {
  const connected = await connect(path);
  if (typeof connected === 'string') return fail(subject, diagnoseSocket(path, connected, qemuArgument));
  try {
    const line = await firstLine(connected);
    if (line === null) {
      return fail(subject, `${path} accepts connections but sends no QMP greeting within ${GREETING_TIMEOUT_MS / 1000} s: another QMP client (a running vmtel?) holds the monitor`);
    }
    const version = qemuVersion(line);
    if (version === null) return fail(subject, `${path} answers, but not with a QMP greeting: is it QEMU's -qmp socket? (${qemuArgument})`);
    return ok(subject, `${path}: QEMU ${version} greets`);
  } finally {
    connected.destroy();
  }
}

function connect(path: string): Promise<Socket | string> {
  return new Promise((resolve) => {
    const socket = createConnection({ path });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('ETIMEDOUT');
    }, CONNECT_TIMEOUT_MS);
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(err.code ?? err.message);
    });
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      // A later error (the peer resets) must not be unhandled; the caller closes the socket.
      socket.on('error', () => undefined);
      resolve(socket);
    });
  });
}

// The first line the peer sends, or null when none comes in time (or the peer closes first).
function firstLine(socket: Socket): Promise<string | null> {
  return new Promise((resolve) => {
    let text = '';
    const done = (line: string | null): void => {
      clearTimeout(timer);
      socket.removeAllListeners('data');
      resolve(line);
    };
    const timer = setTimeout(() => done(null), GREETING_TIMEOUT_MS);
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const newline = text.indexOf('\n');
      if (newline >= 0) done(text.slice(0, newline));
      else if (text.length > MAX_GREETING_BYTES) done(text);
    });
    socket.once('close', () => done(text === '' ? null : text));
  });
}

// "8.2.0" from {"QMP": {"version": {"qemu": {"major": 8, "minor": 2, "micro": 0}}}}.
function qemuVersion(line: string): string | null {
  try {
    const qemu = (JSON.parse(line) as { QMP?: { version?: { qemu?: Record<string, unknown> } } }).QMP?.version?.qemu;
    return qemu === undefined ? null : `${String(qemu['major'])}.${String(qemu['minor'])}.${String(qemu['micro'])}`;
  } catch {
    return null;
  }
}
