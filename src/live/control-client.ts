// The client side of the control socket, for `vmtel mark`, `vmtel status` and `vmtel tap`: one
// request, one reply line, on a connection of its own. "Nobody there" (no socket, or a socket
// left by a vmtel that is gone) has its own code, so a driver can tell it from a refusal.
import { connect } from 'node:net';
import { join } from 'node:path';
import { ERROR_CODES, VmtelError, type ErrorCode } from '../errors';
import { CONTROL_SOCKET_FILE } from '../run-dir-files';
import { parseExactJson } from '../sink/exact-json';
import { toJson } from '../sink/json-line';

// A reply comes within milliseconds; five seconds covers a host under heavy load.
export const REPLY_TIMEOUT_MS = 5000;
// The largest reply is a status of a few KiB; anything far beyond is not vmtel.
const MAX_REPLY_BYTES = 1024 * 1024;

export type ControlReply = Record<string, unknown>;

/** Sends `request` to the vmtel recording in `runDir`; resolves with its `ok` reply or throws. */
export async function requestControl(runDir: string, request: Record<string, unknown>, timeoutMs = REPLY_TIMEOUT_MS): Promise<ControlReply> {
  const path = join(runDir, CONTROL_SOCKET_FILE);
  const line = await new Promise<string>((resolve, reject) => {
    const socket = connect(path);
    const chunks: Buffer[] = [];
    let bytes = 0;
    const fail = (err: VmtelError): void => {
      socket.destroy();
      reject(err);
    };
    const timer = setTimeout(() => fail(noReply(`no reply from ${path} within ${timeoutMs} ms`)), timeoutMs);
    socket.once('close', () => clearTimeout(timer));
    socket.once('connect', () => socket.write(`${toJson(request)}\n`));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED') fail(new VmtelError('VMTEL_NOT_RECORDING', `no vmtel is recording in ${runDir} (${err.code === 'ENOENT' ? 'no control socket' : 'nobody serves its control socket'})`));
      else fail(noReply(`cannot reach ${path}: ${err.code ?? err.message}`));
    });
    socket.on('data', (chunk: Buffer) => {
      const newline = chunk.indexOf(10);
      chunks.push(newline === -1 ? chunk : chunk.subarray(0, newline));
      bytes += chunk.length;
      if (newline !== -1) {
        socket.destroy();
        resolve(Buffer.concat(chunks).toString('utf8'));
      } else if (bytes > MAX_REPLY_BYTES) {
        fail(noReply(`the reply from ${path} is over ${MAX_REPLY_BYTES} bytes`));
      }
    });
    socket.once('end', () => fail(noReply(`${path} closed the connection without a reply`)));
  });
  let reply: ControlReply;
  try {
    reply = parseExactJson(line) as ControlReply;
  } catch {
    throw noReply(`the reply from ${path} is not JSON`);
  }
  if (reply['ok'] === true) return reply;
  const error = (reply['error'] ?? {}) as { code?: unknown; message?: unknown };
  const code = typeof error.code === 'string' && Object.hasOwn(ERROR_CODES, error.code) ? (error.code as ErrorCode) : 'VMTEL_INTERNAL';
  throw new VmtelError(code, `vmtel refused the request: ${String(error.message ?? 'no message')}`);
}

function noReply(message: string): VmtelError {
  return new VmtelError('VMTEL_CONTROL_NO_REPLY', message);
}
