// Appends JSON lines to one file with a write per batch rather than per row when rows come
// densely: at most one write(2) per `flushMs` unless `maxBatchChars` fill first. A line that
// comes alone (the previous one is half a flush interval old or more) is written at once: there
// is nothing to batch it with, and the timer that would flush it later costs more than the write
// (waking a thread costs 100-300 µs of CPU on the lab's VM hosts, a write(2) a few µs). A line is
// only ever written whole, so a crash can tear at most the tail of the last write, which
// torn-line repair moves aside on the next start.
import { closeSync, openSync, writeSync } from 'node:fs';

// 64 KiB: large enough that a flood costs a syscall per few hundred rows, small enough that a
// batch stays in L2 and a crash loses little.
const DEFAULT_MAX_BATCH_CHARS = 64 * 1024;

export interface JsonlWriterOptions {
  /** Longest time a written line may wait in memory before it reaches the file. */
  flushMs: number;
  maxBatchChars?: number;
}

export class JsonlWriter {
  readonly path: string;
  private fd: number;
  private pending: string[] = [];
  private pendingChars = 0;
  private readonly maxBatchChars: number;
  private readonly flushMs: number;
  // Armed while lines are held, so none waits longer than flushMs.
  private timer: NodeJS.Timeout | undefined;
  // When the last write(2) was made and the last line came (performance.now() ms); opening
  // counts as both.
  private lastFlushMs = performance.now();
  private lastLineMs = this.lastFlushMs;
  // One buffer reused for every flush: a fresh 64 KiB Buffer per flush cost about half a
  // microsecond per 200-byte row on the guest_agent path.
  private scratch = Buffer.allocUnsafe(0);
  /** Bytes that reached the file through this writer. */
  bytesWritten = 0;

  constructor(path: string, options: JsonlWriterOptions) {
    this.path = path;
    this.fd = openSync(path, 'a');
    this.maxBatchChars = options.maxBatchChars ?? DEFAULT_MAX_BATCH_CHARS;
    this.flushMs = options.flushMs;
  }

  /** Queues complete lines; `lines` must end with "\n". */
  write(lines: string): void {
    this.pending.push(lines);
    this.pendingChars += lines.length;
    const nowMs = performance.now();
    const alone = nowMs - this.lastLineMs >= this.flushMs / 2;
    this.lastLineMs = nowMs;
    const sinceFlushMs = nowMs - this.lastFlushMs;
    if (alone || sinceFlushMs >= this.flushMs || this.pendingChars >= this.maxBatchChars) return this.flush();
    // unref'd: the flush timer must never be what keeps a finished thread alive.
    this.timer ??= setTimeout(() => this.flush(), this.flushMs - sinceFlushMs).unref();
  }

  /** Writes everything queued, in one write(2) unless the kernel takes less. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pendingChars === 0 || this.fd < 0) return;
    const text = this.pending.length === 1 ? this.pending[0]! : this.pending.join('');
    // A UTF-16 code unit never takes more than 3 bytes of UTF-8, so this capacity always fits
    // the whole text (Buffer.write would silently cut what does not fit).
    if (this.scratch.length < text.length * 3) this.scratch = Buffer.allocUnsafe(Math.max(text.length * 3, this.maxBatchChars * 3));
    const length = this.scratch.write(text, 0, 'utf8');
    this.pending = [];
    this.pendingChars = 0;
    let offset = 0;
    while (offset < length) offset += writeSync(this.fd, this.scratch, offset, length - offset);
    this.bytesWritten += length;
    this.lastFlushMs = performance.now();
  }

  close(): void {
    if (this.fd < 0) return;
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
  }
}
