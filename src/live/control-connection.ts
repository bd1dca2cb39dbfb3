// One client of the control socket: splits what it sends into lines, stamps each chunk as it
// arrives, and answers every request with exactly one reply line. Everything a client can make
// vmtel hold is bounded: a line (64 KiB), the replies it leaves unread, and the time it may sit
// connected without finishing a request. A client that breaks a bound is told why when a reply
// can still reach it, and is disconnected.
import type { Socket } from 'node:net';
import type { ErrorCode } from '../errors';
import { toJson } from '../sink/json-line';
import { errorReply, parseRequest, type ControlRequest, type RejectionReason } from './control-protocol';

// A request is a few hundred bytes; 64 KiB holds 32 labels of the longest values many times over.
export const MAX_LINE_BYTES = 64 * 1024;
// A driver script sends its request as it connects; five seconds without a whole line is a
// client that is stuck or probing, and it holds one of the 16 places.
export const IDLE_TIMEOUT_MS = 5000;
// Replies a client does not read pile up in vmtel's memory; a status reply is a few KiB.
const MAX_UNREAD_REPLY_BYTES = 256 * 1024;

export interface ConnectionHooks {
  /** Handles a checked request; returns the reply's fields beside `ok` and `op`. */
  handle(request: ControlRequest, arrivedMonoNs: bigint): Record<string, unknown>;
  rejected(reason: RejectionReason, code: ErrorCode | null): void;
  /** The stamp taken when a chunk arrives: the episode's t_mono_ns of now. */
  monoNs(): bigint;
  closed(): void;
}

export class ControlConnection {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private idleTimer: NodeJS.Timeout;
  private done = false;

  constructor(
    private readonly socket: Socket,
    private readonly hooks: ConnectionHooks,
  ) {
    this.idleTimer = this.armIdleTimer();
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    // A client that vanishes mid-reply (EPIPE, ECONNRESET) costs nothing but its connection.
    socket.on('error', () => socket.destroy());
    socket.once('close', () => {
      this.done = true;
      clearTimeout(this.idleTimer);
      hooks.closed();
    });
  }

  /** Disconnects the client (the episode is over). */
  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    const arrivedMonoNs = this.hooks.monoNs();
    let start = 0;
    for (let newline = chunk.indexOf(10); newline !== -1 && !this.done; newline = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, newline);
      start = newline + 1;
      if (this.pendingBytes + piece.length > MAX_LINE_BYTES) return this.tooLong();
      const line = this.pendingBytes === 0 ? piece : Buffer.concat([...this.pending, piece]);
      this.pending = [];
      this.pendingBytes = 0;
      this.onLine(line.toString('utf8'), arrivedMonoNs);
    }
    if (this.done || start === chunk.length) return;
    const rest = chunk.subarray(start);
    if (this.pendingBytes + rest.length > MAX_LINE_BYTES) return this.tooLong();
    this.pending.push(rest);
    this.pendingBytes += rest.length;
  }

  private onLine(text: string, arrivedMonoNs: bigint): void {
    const line = text.endsWith('\r') ? text.slice(0, -1) : text;
    // A blank line is no request (netcat users press Enter twice): no reply is owed.
    if (line.trim() === '') return;
    clearTimeout(this.idleTimer);
    this.idleTimer = this.armIdleTimer();
    const request = parseRequest(line);
    if ('rejected' in request) {
      this.hooks.rejected(request.rejected, request.reply.error.code);
      this.reply(request.reply);
      return;
    }
    let fields: Record<string, unknown>;
    try {
      fields = this.hooks.handle(request, arrivedMonoNs);
    } catch (err) {
      this.reply(errorReply('VMTEL_INTERNAL', `the ${request.op} request failed inside vmtel: ${(err as Error).message}`, request.id));
      return;
    }
    this.reply({ ok: true, op: request.op, ...(request.id === null ? {} : { id: request.id }), ...fields });
  }

  private reply(reply: object): void {
    this.socket.write(`${toJson(reply)}\n`);
    if (this.socket.writableLength > MAX_UNREAD_REPLY_BYTES) {
      this.hooks.rejected('slow_reader', null);
      this.socket.destroy();
    }
  }

  private tooLong(): void {
    this.hooks.rejected('line_too_long', 'VMTEL_CONTROL_LINE_TOO_LONG');
    this.finish(errorReply('VMTEL_CONTROL_LINE_TOO_LONG', `a request line is at most ${MAX_LINE_BYTES} bytes; disconnecting`));
  }

  // Sends a last reply and closes; what the client sends after it is not read.
  private finish(reply: object): void {
    this.done = true;
    this.pending = [];
    this.socket.pause();
    this.socket.end(`${toJson(reply)}\n`);
    // A client that does not take the last reply does not keep the connection open either.
    setTimeout(() => this.socket.destroy(), IDLE_TIMEOUT_MS).unref();
  }

  private armIdleTimer(): NodeJS.Timeout {
    return setTimeout(() => {
      this.hooks.rejected('idle_timeout', null);
      this.socket.destroy();
    }, IDLE_TIMEOUT_MS).unref();
  }
}
