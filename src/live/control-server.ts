// `vmtel run` serves RUN_DIR/control.sock from its main thread: the collectors run in workers
// and never wait on it, so nothing a client does (or fails to do) can cost a row or a stamp.
// The socket is the run dir owner's alone (mode 0600) and is removed at stop. At most 16 clients
// are served at once; the 17th is told so and disconnected. Every rejected input is counted.
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { VmtelError, type ErrorCode } from '../errors';
import { toJson } from '../sink/json-line';
import { ControlConnection, type ConnectionHooks } from './control-connection';
import { errorReply, type ControlRequest, type RejectionReason } from './control-protocol';
import { freeSocketPath } from './socket-path';

// A driver, a `status --watch` or two and a few `mark` calls at once; more is a runaway script.
export const MAX_CLIENTS = 16;
// rw for the owner only: a socket's mode decides who may connect on Linux.
const SOCKET_UMASK = 0o177;

export type ControlOp = ControlRequest['op'];

export interface ControlCounts {
  requests: Record<ControlOp, number>;
  rejected: Partial<Record<RejectionReason, number>>;
}

export interface ControlServerHooks {
  handle(request: ControlRequest, arrivedMonoNs: bigint): Record<string, unknown>;
  /** Each rejected input, after it was counted (for a rate-limited warning). */
  rejected(reason: RejectionReason, code: ErrorCode | null): void;
  monoNs(): bigint;
  /** The listening socket failed after it opened (accept ran out of file descriptors, say). */
  failed(err: Error): void;
}

export class ControlServer {
  private readonly connections = new Set<ControlConnection>();
  readonly counts: ControlCounts;

  private constructor(
    readonly path: string,
    private readonly server: Server,
    hooks: ControlServerHooks,
    countsBefore: ControlCounts | null,
  ) {
    // Without a listener a server error would end the process, and the recording with it.
    server.on('error', (err) => hooks.failed(err));
    this.counts = { requests: { mark: 0, status: 0, stop: 0, ...countsBefore?.requests }, rejected: { ...countsBefore?.rejected } };
    server.on('connection', (socket) => {
      if (this.connections.size >= MAX_CLIENTS) {
        this.count('too_many_clients');
        hooks.rejected('too_many_clients', 'VMTEL_CONTROL_BUSY');
        socket.on('error', () => socket.destroy());
        socket.end(`${toJson(errorReply('VMTEL_CONTROL_BUSY', `${MAX_CLIENTS} clients are connected already; try again`))}\n`);
        return;
      }
      const connectionHooks: ConnectionHooks = {
        handle: (request, arrivedMonoNs) => {
          this.counts.requests[request.op] += 1;
          return hooks.handle(request, arrivedMonoNs);
        },
        rejected: (reason, code) => {
          this.count(reason);
          hooks.rejected(reason, code);
        },
        monoNs: hooks.monoNs,
        closed: () => this.connections.delete(connection),
      };
      const connection = new ControlConnection(socket, connectionHooks);
      this.connections.add(connection);
    });
  }

  /**
   * Serves `path` (a stale socket there is replaced; anything else is refused with
   * VMTEL_CONTROL_SOCKET_UNAVAILABLE). Call before any worker starts: the socket is created under a
   * process-wide umask, which a worker creating a file at that moment would also get.
   */
  static async open(path: string, hooks: ControlServerHooks, countsBefore: ControlCounts | null = null): Promise<ControlServer> {
    await freeSocketPath(path);
    const server = createServer({ pauseOnConnect: false });
    const listening = new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    // listen() binds a unix socket synchronously, so the umask is back before anything else runs.
    const umask = process.umask(SOCKET_UMASK);
    try {
      server.listen(path);
    } finally {
      process.umask(umask);
    }
    await listening.catch((err: NodeJS.ErrnoException) => {
      throw new VmtelError('VMTEL_CONTROL_SOCKET_UNAVAILABLE', `cannot serve the control socket ${path}: ${err.code ?? err.message}`, { cause: err });
    });
    return new ControlServer(path, server, hooks, countsBefore);
  }

  /** Clients connected now. */
  get clients(): number {
    return this.connections.size;
  }

  /** Stops serving, disconnects every client and removes the socket. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const connection of this.connections) connection.close();
    await closed;
    try {
      rmSync(this.path, { force: true });
    } catch {
      // A run dir gone read-only (the episode ends as run_dir_lost) keeps a stale socket, which
      // the next start in it replaces; the stop must go on.
    }
  }

  private count(reason: RejectionReason): void {
    this.counts.rejected[reason] = (this.counts.rejected[reason] ?? 0) + 1;
  }
}
