// Appends JSON lines to one file with a write per batch rather than per row when rows come
// densely: at most one write(2) per `flushMs` unless `maxBatchChars` fill first. A line that
// comes alone (the previous one is half a flush interval old or more) is written at once: there
// is nothing to batch it with, and the timer that would flush it later costs more than the write
// (waking a thread costs 100-300 µs of CPU on the lab's VM hosts, a write(2) a few µs).
//
// A write that fails (a full disk, a file system gone read-only) never throws to the collector
// and never leaves a torn line: the writer knows the offset of the file's last whole line, cuts a
// partial write back to it (ftruncate) before anything else is appended, keeps the batch in
// memory (bounded) and retries it with backoff, so rows survive a full disk that is freed. What
// does not fit in the bound, or is still held at close, is reported as dropped, never lost
// silently (see write-faults.ts). The normal path costs no syscall beyond the write itself.
import { closeSync, ftruncateSync, writeSync } from 'node:fs';
import { DEFAULT_FILE_MODE, openOwnFile } from './own-file';
import { WriteFaults, type WriteFaultListener } from './write-faults';

// 64 KiB: large enough that a flood costs a syscall per few hundred rows, small enough that a
// batch stays in L2 and a crash loses little.
const DEFAULT_MAX_BATCH_CHARS = 64 * 1024;

// While writes fail, at most this much is held per file (about 4 MiB of ASCII rows): a guest
// flood of 20 k rows/s is held for about a second, a 10 Hz sampler for hours, and a full disk
// never turns into unbounded memory beside the VM being measured.
export const MAX_HELD_CHARS = 4 * 1024 * 1024;

export interface JsonlWriterOptions {
  /** Longest time a written line may wait in memory before it reaches the file. */
  flushMs: number;
  maxBatchChars?: number;
  maxHeldChars?: number;
  /** Mode of the file when this writer creates it. */
  fileMode?: number;
  /** Told when writes start failing, recover, or rows are dropped. */
  onFault?: WriteFaultListener;
}

export class JsonlWriter {
  readonly path: string;
  private fd: number;
  // The end of the last whole line in the file: where a failed write is cut back to.
  private offsetBytes: number;
  private pending: string[] = [];
  private pendingChars = 0;
  private pendingRows = 0;
  private readonly maxBatchChars: number;
  private readonly flushMs: number;
  private readonly faults: WriteFaults;
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
    const file = openOwnFile(path, 'append', options.fileMode ?? DEFAULT_FILE_MODE);
    this.fd = file.fd;
    this.offsetBytes = file.sizeBytes;
    this.maxBatchChars = options.maxBatchChars ?? DEFAULT_MAX_BATCH_CHARS;
    this.flushMs = options.flushMs;
    this.faults = new WriteFaults(path, options.maxHeldChars ?? MAX_HELD_CHARS, options.onFault, () => this.writeQueued());
  }

  /** Queues complete lines, `rows` of them; `lines` must end with "\n". */
  write(lines: string, rows = 1): void {
    // A closed writer writes nothing more; what still comes (a fault listener's own event as the
    // writer closes) is counted as dropped, never lost silently.
    if (this.fd < 0) {
      this.faults.dropHeld(rows);
      return;
    }
    if (this.faults.failing) {
      // Only the retry timer writes while writes fail; what exceeds the bound is dropped.
      if (!this.faults.mayHold(this.pendingChars + lines.length, rows)) return;
      this.hold(lines, rows);
      return;
    }
    this.hold(lines, rows);
    const nowMs = performance.now();
    const alone = nowMs - this.lastLineMs >= this.flushMs / 2;
    this.lastLineMs = nowMs;
    const sinceFlushMs = nowMs - this.lastFlushMs;
    if (alone || sinceFlushMs >= this.flushMs || this.pendingChars >= this.maxBatchChars) {
      this.flush();
      return;
    }
    // unref'd: the flush timer must never be what keeps a finished thread alive.
    this.timer ??= setTimeout(() => this.flush(), this.flushMs - sinceFlushMs).unref();
  }

  /**
   * Writes everything queued, in one write(2) unless the kernel takes less; false if it failed.
   * While writes fail, only the writer's own retries write (at most one attempt per backoff).
   */
  flush(): boolean {
    return !this.faults.failing && this.writeQueued();
  }

  /** Flushes and closes; rows that still cannot be written are reported as dropped. */
  close(): void {
    if (this.fd < 0) return;
    if (!this.writeQueued()) this.faults.dropHeld(this.pendingRows);
    this.faults.close();
    closeSync(this.fd);
    this.fd = -1;
  }

  private writeQueued(): boolean {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pendingChars === 0) return true;
    const text = this.pending.length === 1 ? this.pending[0]! : this.pending.join('');
    // A UTF-16 code unit never takes more than 3 bytes of UTF-8, so this capacity always fits
    // the whole text (Buffer.write would silently cut what does not fit).
    if (this.scratch.length < text.length * 3) this.scratch = Buffer.allocUnsafe(Math.max(text.length * 3, this.maxBatchChars * 3));
    const length = this.scratch.write(text, 0, 'utf8');
    try {
      // Nothing is appended to a tail that could not be cut off yet: cut it first, or fail again.
      if (this.faults.tornTail) {
        ftruncateSync(this.fd, this.offsetBytes);
        this.faults.tornTail = false;
      }
      let offset = 0;
      while (offset < length) offset += writeSync(this.fd, this.scratch, offset, length - offset);
    } catch (err) {
      // Kept as one string: a retry need not join the pieces again.
      this.pending = [text];
      this.faults.failed(err as NodeJS.ErrnoException, this.pendingRows);
      this.cutBackToLastLine();
      return false;
    }
    this.offsetBytes += length;
    this.bytesWritten += length;
    this.lastFlushMs = performance.now();
    const writtenRows = this.pendingRows;
    this.pending = [];
    this.pendingChars = 0;
    this.pendingRows = 0;
    // After the queue is emptied: the listener may write (the event log records its own recovery).
    if (this.faults.failing) this.faults.recovered(writtenRows);
    return true;
  }

  private hold(lines: string, rows: number): void {
    this.pending.push(lines);
    this.pendingChars += lines.length;
    this.pendingRows += rows;
  }

  // A write that failed part-way left the head of a batch glued to the file's end: cut it off,
  // here and now, before anything else is appended. If even that fails, the retry does it first.
  private cutBackToLastLine(): void {
    try {
      ftruncateSync(this.fd, this.offsetBytes);
      this.faults.tornTail = false;
    } catch {
      this.faults.tornTail = true;
    }
  }
}
