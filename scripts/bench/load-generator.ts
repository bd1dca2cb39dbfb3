// Plays QEMU's side of agent.sock for the benchmarks, in a process of its own so that its CPU is
// never counted as vmtel's. It listens, waits for one client and for "go" on stdin, then sends
// bench rows (each carrying its seq and its send stamp on CLOCK_MONOTONIC, the clock vmtel stamps
// with) flat out or at a rate, or a flood of bytes without a newline.
//
// stdout, one JSON line per step: {"gen":"ready"}, {"gen":"client"}, {"gen":"done",...},
// {"gen":"sent_before","rows":N}. stdin, one command per line: go, stop, `sent-before NS`.
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { benchRow, GUEST_WALL_OFFSET_NS } from './bench-row';

// Flat out, rows go in writes of about 64 KiB, the size of a virtio-serial port's buffer.
const FLAT_OUT_BATCH_CHARS = 64 * 1024;
// At a rate, what is due is written every millisecond (the finest Node timer): at 2,000 rows/s
// that is a write of one or two rows, as an agent ticking fast would make.
const RATE_TICK_MS = 1;
// The no-newline flood is written 1 MiB at a time from one reused buffer.
const FLOOD_CHUNK_BYTES = 1024 * 1024;

const { values } = parseArgs({
  options: {
    socket: { type: 'string' },
    rows: { type: 'string' },
    'row-bytes': { type: 'string', default: '200' },
    rate: { type: 'string' },
    'no-newline-bytes': { type: 'string' },
    close: { type: 'boolean', default: false },
  },
});
const socketPath = values.socket ?? fail('--socket is required');
const rowCount = values.rows === undefined ? Infinity : Number(values.rows);
const rowBytes = Number(values['row-bytes']);
const ratePerSec = values.rate === undefined ? undefined : Number(values.rate);
const floodBytes = values['no-newline-bytes'] === undefined ? undefined : Number(values['no-newline-bytes']);

// One entry per write: when the kernel had taken it and the seq after its last row, for
// `sent-before`. A write is taken at once unless the socket's buffer is full (a flood).
const writeLog: Array<{ acceptedNs: bigint; endSeq: number }> = [];
const state = { seq: 0, bytes: 0, deferredWrites: 0, stopped: false, firstSendNs: null as bigint | null };

function say(message: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(message, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}\n`);
}

function fail(message: string): never {
  process.stderr.write(`load-generator: ${message}\n`);
  process.exit(2);
}

// Hands `data` (ending with row `endSeq - 1`) to the socket; resolves once the kernel has taken
// it, so a flood keeps pace.
async function send(socket: Socket, data: string | Buffer, endSeq: number): Promise<void> {
  state.firstSendNs ??= process.hrtime.bigint();
  if (!socket.write(data)) {
    state.deferredWrites++;
    await drainedOrClosed(socket);
  }
  if (!socket.destroyed) writeLog.push({ acceptedNs: process.hrtime.bigint(), endSeq });
  state.bytes += data.length;
}

// Not events.once: it rejects on 'error', and a reader that leaves (vmtel stopping) is no error here.
function drainedOrClosed(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const settle = (): void => {
      socket.off('drain', settle);
      socket.off('close', settle);
      resolve();
    };
    socket.on('drain', settle);
    socket.on('close', settle);
  });
}

async function sendRows(socket: Socket): Promise<void> {
  const startNs = process.hrtime.bigint();
  while (!state.stopped && !socket.destroyed && state.seq < rowCount) {
    const sentNs = process.hrtime.bigint();
    const due = ratePerSec === undefined ? rowCount : Math.floor((Number(sentNs - startNs) / 1e9) * ratePerSec);
    const mono = sentNs.toString();
    const wall = (sentNs + GUEST_WALL_OFFSET_NS).toString();
    let batch = '';
    for (; state.seq < Math.min(due, rowCount) && batch.length < FLAT_OUT_BATCH_CHARS; state.seq++) batch += benchRow(state.seq, mono, wall, rowBytes);
    if (batch.length > 0) await send(socket, batch, state.seq);
    if (ratePerSec !== undefined) await delay(RATE_TICK_MS);
  }
}

async function sendFlood(socket: Socket, bytes: number): Promise<void> {
  const chunk = Buffer.alloc(FLOOD_CHUNK_BYTES, 'x');
  let left = bytes;
  while (left > 0 && !state.stopped && !socket.destroyed) {
    const piece = Math.min(left, chunk.length);
    await send(socket, piece === chunk.length ? chunk : chunk.subarray(0, piece), 0);
    left -= piece;
  }
  // The end of the long line, then one good row: it must survive the flood unchanged.
  const sentNs = process.hrtime.bigint();
  await send(socket, `\n${benchRow(0, sentNs.toString(), (sentNs + GUEST_WALL_OFFSET_NS).toString(), rowBytes)}`, 1);
  state.seq = 1;
}

function rowsSentBefore(limitNs: bigint): number {
  let rows = 0;
  for (const entry of writeLog) if (entry.acceptedNs < limitNs) rows = entry.endSeq;
  return rows;
}

async function main(): Promise<void> {
  rmSync(socketPath, { force: true });
  let client: Socket | null = null;
  const server = createServer((socket) => {
    // Like QEMU's chardev: one client; a second one is not served.
    if (client !== null) return void socket.destroy();
    client = socket;
    socket.on('error', () => (state.stopped = true));
    socket.on('close', () => (state.stopped = true));
    say({ gen: 'client' });
  });
  server.listen(socketPath);
  await once(server, 'listening');
  say({ gen: 'ready', pid: process.pid });

  let go: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (go = resolve));
  const input = createInterface({ input: process.stdin });
  input.on('line', (line) => {
    const [command, argument] = line.trim().split(' ');
    if (command === 'go') go();
    else if (command === 'stop') state.stopped = true;
    else if (command === 'sent-before') say({ gen: 'sent_before', rows: rowsSentBefore(BigInt(argument ?? '0')) });
  });
  input.on('close', () => {
    state.stopped = true;
    server.close();
    (client as Socket | null)?.destroy();
  });

  await started;
  const socket = client as Socket | null;
  if (socket === null) fail('"go" before a client connected');
  if (floodBytes === undefined) await sendRows(socket);
  else await sendFlood(socket, floodBytes);
  say({
    gen: 'done',
    rows: state.seq,
    bytes: state.bytes,
    first_send_ns: state.firstSendNs,
    last_accepted_ns: writeLog.at(-1)?.acceptedNs ?? null,
    deferred_writes: state.deferredWrites,
  });
  if (values.close) socket.end();
  server.close();
}

main().catch((err: unknown) => fail(err instanceof Error ? (err.stack ?? err.message) : String(err)));
