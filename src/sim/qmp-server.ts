// Plays QEMU's side of a QMP unix socket for tests and the simulated VM: the greeting, capability
// negotiation (a command before it is refused as QEMU refuses it), the query commands vmtel polls,
// stop/cont/system_powerdown/quit with their events, and any event on cue. Like QEMU it serves one
// client at a time: a second connection is accepted but not greeted until the first one leaves.
import { rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { LineFramer } from '../collectors/unix-client/line-framer';
import { eachLine } from '../collectors/qmp/each-line';
import { isObject } from '../collectors/qmp/qmp-message';
import { parseExactJson } from '../sink/exact-json';
import { toJson } from '../sink/json-line';
import { QmpFigures, type QmpValue } from './qmp-figures';

// Commands are a few hundred bytes; anything this long is a broken client.
const MAX_COMMAND_BYTES = 1024 * 1024;
const GREETING = { QMP: { version: { qemu: { major: 8, minor: 2, micro: 0 }, package: 'vmtel-sim' }, capabilities: ['oob'] } };

export type RunState = 'running' | 'paused' | 'shutdown';

export interface QmpServerOptions {
  path: string;
  /** Host thread id of each vCPU, in cpu-index order. */
  vcpuThreadIds?: readonly number[];
  /** query-stats targets this QEMU knows; null: no query-stats at all (a QEMU before 7.1). */
  queryStatsTargets?: readonly string[] | null;
  /** Called on every change of the run state; on `shutdown` a real QEMU would exit. */
  onStatusChange?: (status: RunState) => void;
}

interface Client {
  socket: Socket;
  negotiated: boolean;
}

type Reply = { return: QmpValue } | { error: { class: string; desc: string } };

export class QmpServer {
  status: RunState = 'running';
  /** Every command received, in order (tests assert on it). */
  readonly commands: string[] = [];
  /** Clients greeted so far. */
  greeted = 0;
  readonly figures: QmpFigures;
  private client: Client | null = null;
  private readonly waiting: Socket[] = [];

  private constructor(
    private readonly server: Server,
    private readonly options: QmpServerOptions,
  ) {
    this.figures = new QmpFigures(options.vcpuThreadIds ?? [4242]);
  }

  /** Listens on `options.path`, replacing a stale socket file as QEMU does. */
  static async listen(options: QmpServerOptions): Promise<QmpServer> {
    rmSync(options.path, { force: true });
    const server = createServer();
    const qmp = new QmpServer(server, options);
    server.on('connection', (socket) => qmp.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.path, () => resolve());
    });
    return qmp;
  }

  /** Whether a client has negotiated capabilities and is being served. */
  get hasClient(): boolean {
    return this.client?.negotiated ?? false;
  }

  /** Clients connected but not yet greeted, waiting for the current one to leave. */
  get queuedClients(): number {
    return this.waiting.length;
  }

  /** Sends an async event to the negotiated client; false when there is none. */
  sendEvent(event: string, data?: QmpValue): boolean {
    if (!this.hasClient) return false;
    this.send(this.client!.socket, { event, ...(data === undefined ? {} : { data }), timestamp: wallTimestamp() });
    return true;
  }

  /** Pauses (STOP) or resumes (RESUME) the VM, as the stop and cont commands do. */
  setRunning(running: boolean): void {
    if (this.status === 'shutdown' || (this.status === 'running') === running) return;
    this.status = running ? 'running' : 'paused';
    this.sendEvent(running ? 'RESUME' : 'STOP');
    this.options.onStatusChange?.(this.status);
  }

  /** The guest's ACPI power button: POWERDOWN, then the guest shuts down. */
  powerdown(): void {
    this.sendEvent('POWERDOWN');
    this.shutdown(true, 'guest-shutdown');
  }

  /** SHUTDOWN, then the client is closed and the owner told, as a QEMU run with -no-reboot. */
  shutdown(guest: boolean, reason: string): void {
    if (this.status === 'shutdown') return;
    this.status = 'shutdown';
    this.sendEvent('SHUTDOWN', { guest, reason });
    this.client?.socket.end();
    this.options.onStatusChange?.(this.status);
  }

  /** Closes the current client's connection abruptly (a fault); the server keeps listening. */
  dropClient(): void {
    this.client?.socket.destroy();
  }

  /** Stops listening, drops every client and removes the socket file. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of [...this.waiting, ...(this.client === null ? [] : [this.client.socket])]) socket.destroy();
    await closed;
    rmSync(this.options.path, { force: true });
  }

  private accept(socket: Socket): void {
    socket.on('error', () => socket.destroy());
    socket.once('close', () => {
      const waitingAt = this.waiting.indexOf(socket);
      if (waitingAt >= 0) this.waiting.splice(waitingAt, 1);
      if (this.client?.socket !== socket) return;
      this.client = null;
      const next = this.waiting.shift();
      if (next !== undefined) this.serve(next);
    });
    if (this.client === null) this.serve(socket);
    else this.waiting.push(socket);
  }

  private serve(socket: Socket): void {
    const client: Client = { socket, negotiated: false };
    this.client = client;
    this.greeted += 1;
    const framer = new LineFramer(MAX_COMMAND_BYTES, {
      onLines: (buf, start, end) => eachLine(buf, start, end, (line) => this.handle(client, line)),
      onOversized: () => socket.destroy(),
    });
    socket.on('data', (chunk: Buffer) => framer.push(chunk));
    this.send(socket, GREETING);
  }

  // Blank lines are whitespace between JSON texts to QEMU: no reply.
  private handle(client: Client, line: string): void {
    if (line.trim() !== '') this.send(client.socket, this.answer(client, line));
  }

  private answer(client: Client, line: string): Record<string, unknown> {
    let request;
    try {
      request = parseExactJson(line);
    } catch (err) {
      return genericError(`JSON parse error, ${(err as Error).message}`);
    }
    if (!isObject(request) || typeof request['execute'] !== 'string') return genericError("QMP input member 'execute' is missing");
    const command = request['execute'];
    const args = isObject(request['arguments']) ? request['arguments'] : {};
    this.commands.push(command);
    const id = request['id'] === undefined ? {} : { id: request['id'] };
    if (!client.negotiated) {
      if (command !== 'qmp_capabilities') return { ...notFound("Expecting capabilities negotiation with 'qmp_capabilities'"), ...id };
      client.negotiated = true;
      return { return: {}, ...id };
    }
    return { ...this.execute(command, args), ...id };
  }

  private execute(command: string, args: Record<string, unknown>): Reply {
    switch (command) {
      case 'qmp_capabilities':
        return notFound('Capabilities negotiation is already complete, command ignored');
      case 'query-status':
        return { return: { status: this.status, running: this.status === 'running' } };
      case 'query-blockstats':
        return { return: this.figures.blockstats() };
      case 'query-cpus-fast':
        return { return: this.figures.cpusFast() };
      case 'query-stats':
        return this.queryStats(args['target']);
      case 'stop':
      case 'cont':
        this.setRunning(command === 'cont');
        return { return: {} };
      case 'system_powerdown':
        setImmediate(() => this.powerdown());
        return { return: {} };
      case 'quit':
        setImmediate(() => this.shutdown(false, 'host-qmp-quit'));
        return { return: {} };
      default:
        return notFound(`The command ${command} has not been found`);
    }
  }

  private queryStats(target: unknown): Reply {
    const known = this.options.queryStatsTargets === undefined ? ['vm', 'vcpu'] : this.options.queryStatsTargets;
    if (known === null) return notFound('The command query-stats has not been found');
    if (typeof target !== 'string') return genericError("Parameter 'target' is missing");
    if (!known.includes(target) || (target !== 'vm' && target !== 'vcpu')) {
      return genericError(`Parameter 'target' does not accept value '${target}'`);
    }
    return { return: this.figures.stats(target) };
  }

  // QEMU ends every message with CRLF; a reader that trips on the CR is caught here.
  private send(socket: Socket, message: unknown): void {
    if (!socket.destroyed) socket.write(`${toJson(message)}\r\n`);
  }
}

function notFound(desc: string): Reply {
  return { error: { class: 'CommandNotFound', desc } };
}

function genericError(desc: string): Reply {
  return { error: { class: 'GenericError', desc } };
}

// QEMU stamps events with the host's wall clock in seconds and microseconds.
function wallTimestamp(): { seconds: number; microseconds: number } {
  const wallUs = Math.round((performance.timeOrigin + performance.now()) * 1000);
  return { seconds: Math.floor(wallUs / 1e6), microseconds: wallUs % 1e6 };
}
