// A stand-in for QEMU's end of the guest-agent port: the unix socket server that
// `-chardev socket,server=on,wait=off` creates, with a scriptable agent behind it. Tests, the
// simulated VM and benchmarks use it to play every way a guest can behave, good or hostile.
//
//   const server = await AgentServer.listen(path);   // bind, as QEMU does at start
//   await server.waitForClient();                     // vmtel connected
//   server.serveRows({ ratePerSec: 10 });             // agent rows at a rate (omit: flat out)
//   await server.send(bytes, [3, 17]);                // arbitrary bytes, cut into writes at 3 and 17
//   server.silence();                                 // stop the rows, keep the connection open
//   server.dropClient();                              // close the connection (vmtel sees EOF)
//   await server.stopListening(); await server.relisten();  // QEMU gone, then back on the same path
//   await server.close();
//
// Like QEMU, it serves one client at a time; a second one waits until the first has gone.
import { EventEmitter, once } from 'node:events';
import { rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

// The guest's writes are batched to about 64 KiB, the size of a virtio-serial port's buffer.
const FLAT_OUT_BATCH_BYTES = 64 * 1024;
// A rate-limited stream writes what is due this often: smooth enough at any rate up to 100k/s.
const RATE_TICK_MS = 10;

export interface AgentClock {
  /** How fast the guest clock runs against the host's, in parts per million (+ is fast). */
  driftPpm?: number;
  /** Guest minus host at the start of the stream, in ns. */
  offsetNs?: bigint;
}

export interface RowStreamOptions extends AgentClock {
  /** Rows per second; absent: as fast as the socket takes them. */
  ratePerSec?: number;
  /** Stop after this many rows; absent: until silence(), dropClient() or close(). */
  count?: number;
}

export interface RowStream {
  /** Rows handed to the socket so far. */
  readonly sent: number;
  /** Resolves when the stream has ended (count reached, silenced or the client gone). */
  readonly done: Promise<void>;
}

/** An agent-like row with the guest's clocks: what the in-guest agent writes, "\n" included. */
export function agentRow(seq: number, guestMonoNs: bigint, guestWallNs: bigint): string {
  const cpuPct = (seq * 37) % 1000 / 10;
  const memUsedKib = 1_048_576 + ((seq * 4099) % 65_536);
  return `{"seq":${seq},"t_guest_mono_ns":${guestMonoNs},"t_guest_wall_ns":${guestWallNs},"cpu_pct":${cpuPct},"mem_used_kib":${memUsedKib},"procs":${100 + (seq % 50)}}\n`;
}

export class AgentServer {
  private server: Server;
  private client: Socket | null = null;
  private waiting: Socket[] = [];
  private stream: { stopped: boolean } | null = null;
  // Says 'served' whenever a client starts being served; outlives stopListening/relisten.
  private readonly served = new EventEmitter();
  // The guest's clocks run from here, so they continue across streams as a real agent's do.
  private readonly clockAnchor = { hostNs: process.hrtime.bigint(), wallNs: BigInt(Date.now()) * 1_000_000n };
  // The agent's row counter: it continues across streams and reconnects, as a real agent's does.
  private nextSeq = 0;
  /** Clients accepted so far (served, not queued). */
  accepted = 0;

  private constructor(readonly path: string) {
    this.server = this.createServer();
  }

  /** Binds `path` (a stale socket file there is replaced) and listens. */
  static async listen(path: string): Promise<AgentServer> {
    const server = new AgentServer(path);
    await server.bind();
    return server;
  }

  get connected(): boolean {
    return this.client !== null;
  }

  /** Resolves once a client is being served. */
  async waitForClient(): Promise<Socket> {
    while (this.client === null) await once(this.served, 'served');
    return this.client;
  }

  /** Writes `data` to the client as separate writes cut at the offsets in `cuts`. */
  async send(data: string | Buffer, cuts: readonly number[] = []): Promise<void> {
    const client = await this.waitForClient();
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    let from = 0;
    for (const cut of [...cuts, bytes.length]) {
      if (cut <= from) continue;
      await write(client, bytes.subarray(from, cut));
      from = cut;
      // A turn of the event loop between pieces, so the reader is likely to see them apart.
      if (from < bytes.length) await delay(0);
    }
  }

  /** Starts writing agent rows (seq continues from the last row served); the previous stream stops. */
  serveRows(options: RowStreamOptions = {}): RowStream {
    this.silence();
    const control = { stopped: false };
    this.stream = control;
    const state = { sent: 0, done: Promise.resolve() };
    state.done = this.runStream(options, control, (n) => (state.sent += n));
    return state;
  }

  /** Stops the rows; the connection stays open and quiet. */
  silence(): void {
    if (this.stream !== null) this.stream.stopped = true;
    this.stream = null;
  }

  /** Closes the served connection; the next waiting client, if any, is served. */
  dropClient(): void {
    this.silence();
    this.client?.destroy();
  }

  /** Stops listening and drops every client, as QEMU exiting does; the socket file goes too. */
  async stopListening(): Promise<void> {
    this.dropClient();
    for (const socket of this.waiting.splice(0)) socket.destroy();
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.path, { force: true });
  }

  /** Listens on the same path again, as a restarted QEMU does. */
  async relisten(): Promise<void> {
    this.server = this.createServer();
    await this.bind();
  }

  async close(): Promise<void> {
    await this.stopListening();
  }

  private createServer(): Server {
    const server = createServer((socket) => {
      this.waiting.push(socket);
      socket.on('error', () => socket.destroy());
      socket.once('close', () => {
        this.waiting = this.waiting.filter((s) => s !== socket);
        if (this.client === socket) this.client = null;
        this.serveNext();
      });
      this.serveNext();
    });
    return server;
  }

  private serveNext(): void {
    if (this.client !== null) return;
    const next = this.waiting.shift();
    if (next === undefined) return;
    this.client = next;
    this.accepted++;
    this.served.emit('served');
  }

  private async bind(): Promise<void> {
    rmSync(this.path, { force: true });
    this.server.listen(this.path);
    await once(this.server, 'listening');
  }

  private async runStream(options: RowStreamOptions, control: { stopped: boolean }, sent: (n: number) => void): Promise<void> {
    const client = await this.waitForClient();
    const count = options.count ?? Infinity;
    const clock = this.guestClock(options);
    const startMs = performance.now();
    let streamed = 0;
    while (!control.stopped && !client.destroyed && streamed < count) {
      const due = options.ratePerSec === undefined ? count : Math.floor(((performance.now() - startMs) / 1000) * options.ratePerSec);
      let batch = '';
      const before = streamed;
      for (; streamed < Math.min(due, count) && batch.length < FLAT_OUT_BATCH_BYTES; streamed++) {
        const [monoNs, wallNs] = clock();
        batch += agentRow(this.nextSeq++, monoNs, wallNs);
      }
      if (batch.length > 0) {
        sent(streamed - before);
        await write(client, batch);
      }
      if (options.ratePerSec !== undefined) await delay(RATE_TICK_MS);
    }
  }

  // The guest's [mono, wall] clocks now, as they have run since this server started.
  private guestClock(clock: AgentClock): () => [bigint, bigint] {
    const { hostNs, wallNs } = this.clockAnchor;
    return () => {
      const guestElapsedNs = guestElapsed(process.hrtime.bigint() - hostNs, clock);
      return [hostNs + guestElapsedNs, wallNs + guestElapsedNs];
    };
  }
}

/** How far a guest clock has run, offset included, while the host's ran `hostElapsedNs`. */
export function guestElapsed(hostElapsedNs: bigint, clock: AgentClock): bigint {
  const driftPpb = BigInt(Math.round((clock.driftPpm ?? 0) * 1000));
  return (clock.offsetNs ?? 0n) + hostElapsedNs + (hostElapsedNs * driftPpb) / 1_000_000_000n;
}

// Resolves when the kernel has taken `data` (or the socket is gone), so a flood keeps pace.
function write(socket: Socket, data: string | Buffer): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) resolve();
    else socket.write(data, () => resolve());
  });
}
