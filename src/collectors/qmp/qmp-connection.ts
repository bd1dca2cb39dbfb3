// One QMP session: waits for QEMU's greeting, negotiates capabilities, then matches every reply to
// its command by `id` (several commands are in flight per poll) and hands async events to the
// owner. Every pending command settles: with its reply, when the socket closes, when its reply
// does not come within the reply timeout, or when a line too long to be read may have been its
// reply (then every pending command is given up and later replies to them are counted as
// unmatched: the session resyncs on the next command's id). No await outlives the session.
// Reads arrive through `readTarget` (one reused buffer, see unix-client/connect-with-retry.ts), framed into
// newline-ended messages by the bounded framer guest_agent uses too.
import type { Socket } from 'node:net';
import { parseExactJson, type ExactJson } from '../../sink/exact-json';
import type { ReadTarget } from '../unix-client/connect-with-retry';
import { LineFramer } from '../unix-client/line-framer';
import { eachLine } from './each-line';
import { classifyQmpMessage, type JsonObject, type QmpError, type QmpMessage } from './qmp-message';

// QEMU's replies are a few hundred KiB at most (per-vCPU stats of a large guest); a line this
// long is not QMP, and dropping it keeps a runaway peer from growing memory without bound.
export const MAX_LINE_BYTES = 16 * 1024 * 1024;
// One read of a typical reply (blockstats of a few disks) fits; larger ones take several reads.
const READ_BUFFER_BYTES = 64 * 1024;

export type QmpEvent = Extract<QmpMessage, { kind: 'event' }>;
export type QmpResult = { ok: true; value: ExactJson } | { ok: false; error: QmpError };

export interface QmpConnectionHandlers {
  onEvent(event: QmpEvent): void;
  /** A message that could not be used: malformed_json, oversized_line, unmatched_reply, unknown_message. */
  onDrop(reason: string, detail: string): void;
}

/** A command's reply did not come in time, or was in a line too long to read; `reason` says which. */
export class QmpReplyLostError extends Error {
  override readonly name = 'QmpReplyLostError';
  constructor(
    readonly reason: 'reply_timeout' | 'oversized_line',
    readonly command: string,
  ) {
    super(`QMP reply to ${command} lost: ${reason}`);
  }
}

/** A command's reply can no longer come: the socket closed first. */
export class QmpClosedError extends Error {
  override readonly name = 'QmpClosedError';
  constructor(readonly reason: string) {
    super(`QMP socket closed: ${reason}`);
  }
}

export class QmpConnection {
  /** Where the socket's reads go: pass it to connectWithRetry. */
  readonly readTarget: ReadTarget;
  private socket: Socket | null = null;
  private closedPromise: Promise<string> | null = null;
  private readonly pending = new Map<number, PendingCommand>();
  private nextId = 1;
  private closeReason: string | null = null;
  private greeted: ((qmp: JsonObject) => void) | null = null;

  /** `replyTimeoutMs`: how long each command waits for its reply. */
  constructor(
    private readonly handlers: QmpConnectionHandlers,
    private readonly replyTimeoutMs: number,
  ) {
    const framer = new LineFramer(MAX_LINE_BYTES, {
      onLines: (buf, start, end) => eachLine(buf, start, end, (line) => this.receive(line)),
      onOversized: () => {
        handlers.onDrop('oversized_line', `a QMP line over ${MAX_LINE_BYTES} bytes`);
        this.losePending('oversized_line');
      },
    });
    this.readTarget = { buffer: Buffer.allocUnsafe(READ_BUFFER_BYTES), onRead: (chunk) => framer.push(chunk) };
  }

  /** Resolves with why the socket closed (`eof` when QEMU closed it). */
  get closed(): Promise<string> {
    if (this.closedPromise === null) throw new Error('QmpConnection.closed read before negotiate()');
    return this.closedPromise;
  }

  /**
   * Reads the greeting on `socket` (connected with `readTarget`) and negotiates capabilities;
   * returns the greeting's `QMP` member (version, capabilities). Throws QmpClosedError when the
   * socket closes or `signal` aborts first, and Error when QEMU refuses the negotiation.
   */
  async negotiate(socket: Socket, signal: AbortSignal): Promise<JsonObject> {
    this.attach(socket);
    const abort = (): void => this.close(String((signal.reason as Error | undefined)?.message ?? 'aborted'));
    signal.addEventListener('abort', abort, { once: true });
    try {
      if (signal.aborted) abort();
      const greeting = await Promise.race([
        new Promise<JsonObject>((resolve) => (this.greeted = resolve)),
        this.closed.then((reason) => Promise.reject(new QmpClosedError(reason))),
      ]);
      const reply = await this.execute('qmp_capabilities');
      if (!reply.ok) throw new Error(`QEMU refused qmp_capabilities: ${reply.error.class}: ${reply.error.desc}`);
      return greeting;
    } catch (err) {
      this.close('negotiation_failed');
      throw err;
    } finally {
      signal.removeEventListener('abort', abort);
    }
  }

  /**
   * Sends one command; its reply, success or QMP error. Rejects with QmpClosedError once closed,
   * and with QmpReplyLostError when the reply does not come within the reply timeout.
   */
  execute(command: string, args?: JsonObject): Promise<QmpResult> {
    if (this.socket === null || this.closeReason !== null) return Promise.reject(new QmpClosedError(this.closeReason ?? 'not connected'));
    const id = this.nextId++;
    const message = args === undefined ? { execute: command, id } : { execute: command, arguments: args, id };
    const socket = this.socket;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.lose(id, 'reply_timeout'), this.replyTimeoutMs);
      this.pending.set(id, { command, timer, resolve, reject });
      socket.write(`${JSON.stringify(message)}\n`);
    });
  }

  /**
   * Sends the commands in one write (a poll's queries) and returns each one's reply: one system
   * call instead of one per command, and QEMU reads them all in one go.
   */
  executeAll(commands: ReadonlyArray<{ command: string; args?: JsonObject }>): Array<Promise<QmpResult>> {
    this.socket?.cork();
    try {
      return commands.map(({ command, args }) => this.execute(command, args));
    } finally {
      this.socket?.uncork();
    }
  }

  /** Closes the socket; `closed` resolves with `reason`. */
  close(reason = 'closed_by_vmtel'): void {
    this.closeReason ??= reason;
    this.socket?.destroy();
  }

  private attach(socket: Socket): void {
    this.socket = socket;
    let failure: string | null = null;
    socket.on('error', (err: NodeJS.ErrnoException) => (failure = err.code ?? err.message));
    this.closedPromise = new Promise((resolve) => {
      socket.once('close', () => {
        const reason = (this.closeReason ??= failure ?? 'eof');
        for (const waiter of this.pending.values()) {
          clearTimeout(waiter.timer);
          waiter.reject(new QmpClosedError(reason));
        }
        this.pending.clear();
        resolve(reason);
      });
    });
  }

  private receive(line: string): void {
    if (line.trim() === '') return;
    let message: QmpMessage | null;
    try {
      message = classifyQmpMessage(parseExactJson(line));
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
        this.handlers.onDrop('unknown_message', line.slice(0, 200));
    }
  }

  private settle(id: ExactJson | undefined, result: QmpResult): void {
    const waiter = typeof id === 'number' ? this.pending.get(id) : undefined;
    if (waiter === undefined) {
      this.handlers.onDrop('unmatched_reply', `a reply with id ${String(id)}`);
      return;
    }
    this.pending.delete(id as number);
    clearTimeout(waiter.timer);
    waiter.resolve(result);
  }

  private lose(id: number, reason: QmpReplyLostError['reason']): void {
    const waiter = this.pending.get(id);
    if (waiter === undefined) return;
    this.pending.delete(id);
    clearTimeout(waiter.timer);
    waiter.reject(new QmpReplyLostError(reason, waiter.command));
  }

  // A dropped line may have been any pending command's reply: all of them are given up at once,
  // rather than each waiting out the reply timeout.
  private losePending(reason: QmpReplyLostError['reason']): void {
    for (const id of [...this.pending.keys()]) this.lose(id, reason);
  }
}

interface PendingCommand {
  command: string;
  timer: NodeJS.Timeout;
  resolve(result: QmpResult): void;
  reject(err: Error): void;
}
