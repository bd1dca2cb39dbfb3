// One QMP session over a connected socket: waits for QEMU's greeting, negotiates capabilities, then
// matches every reply to its command by `id` (several commands are in flight per poll) and hands
// async events to the owner. Every pending command settles when the socket closes, so no await
// outlives the connection.
import type { Socket } from 'node:net';
import { LineFramer } from './line-framer';
import { parseExactJson, type ExactJson } from '../../sink/exact-json';
import { classifyQmpMessage, type JsonObject, type QmpError, type QmpMessage } from './qmp-message';

// QEMU sends whole replies of a few hundred KiB at most (per-vCPU stats of a large guest); a line
// this long is not QMP, and dropping it keeps a runaway peer from growing memory without bound.
const MAX_LINE_BYTES = 16 * 1024 * 1024;

export type QmpEvent = Extract<QmpMessage, { kind: 'event' }>;
export type QmpResult = { ok: true; value: ExactJson } | { ok: false; error: QmpError };

export interface QmpConnectionHandlers {
  onEvent(event: QmpEvent): void;
  /** A message that could not be used: malformed_json, oversized_line, unmatched_reply, unknown_message. */
  onDrop(reason: string, detail: string): void;
}

/** A command's reply can no longer come: the socket closed first. */
export class QmpClosedError extends Error {
  override readonly name = 'QmpClosedError';
  constructor(readonly reason: string) {
    super(`QMP socket closed: ${reason}`);
  }
}

export class QmpConnection {
  /** Resolves with why the socket closed (`eof` when QEMU closed it). */
  readonly closed: Promise<string>;
  private readonly pending = new Map<number, { resolve(result: QmpResult): void; reject(err: Error): void }>();
  private nextId = 1;
  private closeReason: string | null = null;
  private greeted: ((qmp: JsonObject) => void) | null = null;

  private constructor(
    private readonly socket: Socket,
    private readonly handlers: QmpConnectionHandlers,
  ) {
    const framer = new LineFramer({
      onLine: (line) => this.receive(line),
      maxLineBytes: MAX_LINE_BYTES,
      onOversized: (bytes) => handlers.onDrop('oversized_line', `a QMP line of ${bytes} bytes`),
    });
    let failure: string | null = null;
    socket.on('data', (chunk: Buffer) => framer.push(chunk));
    socket.on('error', (err: NodeJS.ErrnoException) => (failure = err.code ?? err.message));
    this.closed = new Promise((resolve) => {
      socket.once('close', () => {
        this.closeReason ??= failure ?? 'eof';
        for (const waiter of this.pending.values()) waiter.reject(new QmpClosedError(this.closeReason));
        this.pending.clear();
        resolve(this.closeReason);
      });
    });
  }

  /**
   * Reads the greeting and negotiates capabilities on `socket`; returns the session and the
   * greeting's `QMP` member (version, capabilities). Throws QmpClosedError when the socket closes
   * or `signal` aborts first, and Error when QEMU refuses the negotiation.
   */
  static async negotiate(
    socket: Socket,
    handlers: QmpConnectionHandlers,
    signal: AbortSignal,
  ): Promise<{ connection: QmpConnection; greeting: JsonObject }> {
    const connection = new QmpConnection(socket, handlers);
    const abort = (): void => connection.close('stopped');
    signal.addEventListener('abort', abort, { once: true });
    try {
      if (signal.aborted) abort();
      const greeting = await Promise.race([
        new Promise<JsonObject>((resolve) => (connection.greeted = resolve)),
        connection.closed.then((reason) => Promise.reject(new QmpClosedError(reason))),
      ]);
      const reply = await connection.execute('qmp_capabilities');
      if (!reply.ok) throw new Error(`QEMU refused qmp_capabilities: ${reply.error.class}: ${reply.error.desc}`);
      return { connection, greeting };
    } catch (err) {
      connection.close('negotiation_failed');
      throw err;
    } finally {
      signal.removeEventListener('abort', abort);
    }
  }

  /** Sends one command; its reply, success or QMP error. Rejects with QmpClosedError once closed. */
  execute(command: string, args?: JsonObject): Promise<QmpResult> {
    if (this.closeReason !== null) return Promise.reject(new QmpClosedError(this.closeReason));
    const id = this.nextId++;
    const message = args === undefined ? { execute: command, id } : { execute: command, arguments: args, id };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.write(`${JSON.stringify(message)}\n`);
    });
  }

  /** Closes the socket; `closed` resolves with `reason`. */
  close(reason = 'closed_by_vmtel'): void {
    this.closeReason ??= reason;
    this.socket.destroy();
  }

  private receive(line: Buffer): void {
    let message: QmpMessage | null;
    try {
      message = classifyQmpMessage(parseExactJson(line.toString('utf8')));
    } catch (err) {
      this.handlers.onDrop('malformed_json', (err as Error).message);
      return;
    }
    switch (message?.kind) {
      case 'greeting':
        this.greeted?.(message.qmp);
        this.greeted = null;
        return;
      case 'return':
        return this.settle(message.id, { ok: true, value: message.value });
      case 'error':
        return this.settle(message.id, { ok: false, error: message.error });
      case 'event':
        return this.handlers.onEvent(message);
      default:
        this.handlers.onDrop('unknown_message', line.subarray(0, 200).toString('utf8'));
    }
  }

  private settle(id: ExactJson | undefined, result: QmpResult): void {
    const waiter = typeof id === 'number' ? this.pending.get(id) : undefined;
    if (waiter === undefined) {
      this.handlers.onDrop('unmatched_reply', `a reply with id ${String(id)}`);
      return;
    }
    this.pending.delete(id as number);
    waiter.resolve(result);
  }
}
