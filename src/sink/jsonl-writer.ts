// Appends JSON lines to one file with a write per batch rather than per row: rows are held in
// memory until `maxBatchBytes` is reached or `flushMs` has passed, then written with one
// write(2). A line is only ever written whole, so a crash can tear at most the tail of the last
// write, which torn-line repair moves aside on the next start.
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
  private readonly timer: NodeJS.Timeout;
  // One buffer reused for every flush: a fresh 64 KiB Buffer per flush cost about half a
  // microsecond per 200-byte row on the guest_agent path.
  private scratch = Buffer.allocUnsafe(0);
  /** Bytes that reached the file through this writer. */
  bytesWritten = 0;

  constructor(path: string, options: JsonlWriterOptions) {
    this.path = path;
    this.fd = openSync(path, 'a');
    this.maxBatchChars = options.maxBatchChars ?? DEFAULT_MAX_BATCH_CHARS;
    // unref'd: the flush timer must never be what keeps a finished thread alive.
    this.timer = setInterval(() => this.flush(), options.flushMs).unref();
  }

  /** Queues complete lines; `lines` must end with "\n". */
  write(lines: string): void {
    this.pending.push(lines);
    this.pendingChars += lines.length;
    if (this.pendingChars >= this.maxBatchChars) this.flush();
  }

  /** Writes everything queued, in one write(2) unless the kernel takes less. */
  flush(): void {
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
  }

  close(): void {
    if (this.fd < 0) return;
    clearInterval(this.timer);
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
  }
}
