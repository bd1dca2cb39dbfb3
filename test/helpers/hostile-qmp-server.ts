// A fake QEMU monitor that misbehaves on purpose, for the qmp collector's bounds: it greets and
// negotiates like QEMU, then per command either answers, says nothing (a lost reply), answers
// with a line far over any bound, goes silent for good, answers after lines that are not usable
// QMP, or closes the connection instead; and it can send events without end.
import { rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';

/**
 * What the server does with one command (`n` counts commands of its kind from 1, over all
 * connections). `noise`: one malformed line, one unknown message and one reply to no command
 * come before the reply. `close`: the connection is closed instead of answered.
 */
export type Answer = 'reply' | 'lose' | 'oversized' | 'hang' | 'noise' | 'close';

// One of each line a QMP client cannot use: malformed JSON, an object of no QMP shape, and a reply
// whose id no command has.
const NOISE_LINES = '{"return": {}, "id"\n{"hello": "qmp"}\n{"return": {}, "id": 424242}\n';

export interface HostileQmpOptions {
  path: string;
  /** Decides each command's fate; every command is answered by default. */
  answer?: (command: string, n: number) => Answer;
  /** Bytes of the oversized line (default 50 MiB). */
  oversizedBytes?: number;
  /** Sends QMP events as fast as the socket takes them, from negotiation on, with one STOP among them. */
  floodEvents?: boolean;
}

const GREETING = '{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 8}, "package": "hostile"}, "capabilities": []}}\n';
// Several hundred events per write: the flood is bounded by the socket, not by the server's loop.
const FLOOD_BATCH = Array.from({ length: 500 }, (_, i) => `{"event": "${i % 2 === 0 ? 'RTC_CHANGE' : 'BALLOON_CHANGE'}", "data": {"offset": ${i}}, "timestamp": {"seconds": 1700000000, "microseconds": ${i}}}\n`).join('');

const RARE_EVENT = '{"event": "STOP", "timestamp": {"seconds": 1700000001, "microseconds": 0}}\n';
// About 100,000 flood events before the rare one.
const RARE_EVENT_AFTER_BATCHES = 200;

export class HostileQmpServer {
  /** Connections accepted so far. */
  connections = 0;
  /** Event lines written so far by the flood. */
  floodedEvents = 0;
  private readonly counts = new Map<string, number>();
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    private readonly options: HostileQmpOptions,
  ) {}

  static async listen(options: HostileQmpOptions): Promise<HostileQmpServer> {
    const server = createServer();
    const hostile = new HostileQmpServer(server, options);
    server.on('connection', (socket) => hostile.serve(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.path, resolve);
    });
    return hostile;
  }

  /** Commands of `command` received so far. */
  received(command: string): number {
    return this.counts.get(command) ?? 0;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.options.path, { force: true });
  }

  private serve(socket: Socket): void {
    this.connections += 1;
    this.sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => this.sockets.delete(socket));
    socket.write(GREETING);
    let hung = false;
    let buffered = '';
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (line.trim() === '' || hung) continue;
        const { execute, id } = JSON.parse(line) as { execute: string; id: number };
        const n = (this.counts.get(execute) ?? 0) + 1;
        this.counts.set(execute, n);
        const answer = execute === 'qmp_capabilities' ? 'reply' : (this.options.answer?.(execute, n) ?? 'reply');
        if (answer === 'hang') hung = true;
        if (answer === 'oversized') socket.write(`{"return": "${'x'.repeat(this.options.oversizedBytes ?? 50 * 1024 * 1024)}", "id": ${id}}\n`);
        if (answer === 'noise') socket.write(NOISE_LINES);
        if (answer === 'reply' || answer === 'noise') socket.write(`${JSON.stringify({ return: replyTo(execute), id })}\n`);
        if (answer === 'close') socket.destroy();
        if (execute === 'qmp_capabilities' && this.options.floodEvents === true) this.flood(socket);
      }
    });
  }

  // Writes event batches while the socket takes them, resuming on 'drain', until it closes; a
  // rare event (STOP) goes out once, deep in the flood.
  private flood(socket: Socket): void {
    let batches = 0;
    const more = (): void => {
      while (!socket.destroyed) {
        batches += 1;
        this.floodedEvents += batches === RARE_EVENT_AFTER_BATCHES ? 501 : 500;
        const batch = batches === RARE_EVENT_AFTER_BATCHES ? `${FLOOD_BATCH}${RARE_EVENT}` : FLOOD_BATCH;
        if (!socket.write(batch)) {
          socket.once('drain', more);
          return;
        }
      }
    };
    setImmediate(more);
  }
}

function replyTo(command: string): unknown {
  return command === 'query-status' ? { status: 'running', singlestep: false, running: true } : {};
}
