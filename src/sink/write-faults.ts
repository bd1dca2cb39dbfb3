// What a JsonlWriter does while its writes fail: one `write_failed` when they start, retries with
// backoff, rows beyond the hold bound counted as dropped (reason `write_failed`), and one
// `write_recovered` with the counts once a retry gets through. Apart from the writer so that the
// writer's normal path stays the few lines it was.

/** Drop reason of rows that could not be written, in the collector's `dropped` counts. */
export const WRITE_FAILED = 'write_failed';

export type WriteFault =
  | { kind: 'write_failed'; file: string; code: string; error: string; held_rows: number }
  | { kind: 'write_recovered'; file: string; failed_ms: number; retries: number; written_rows: number; dropped_rows: number }
  | { kind: 'rows_dropped'; file: string; rows: number };

export type WriteFaultListener = (fault: WriteFault) => void;

// The first retry comes soon (a blip of a full disk is often freed by a log rotation), later
// ones back off to a few seconds: each failed retry costs a write(2) and an ftruncate(2).
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5000;

export class WriteFaults {
  failing = false;
  /** A failed write left bytes after the last whole line that could not be cut off yet. */
  tornTail = false;
  private failedAtMs = 0;
  private retries = 0;
  private droppedRows = 0;
  private retryMs = FIRST_RETRY_MS;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly path: string,
    private readonly maxHeldChars: number,
    private readonly listener: WriteFaultListener | undefined,
    private readonly retry: () => boolean,
  ) {}

  /** Whether `heldChars` may be held; if not, the `rows` are counted as dropped. */
  mayHold(heldChars: number, rows: number): boolean {
    if (heldChars <= this.maxHeldChars) return true;
    this.drop(rows);
    return false;
  }

  /** A write failed; `heldRows` are kept for the retry. */
  failed(err: NodeJS.ErrnoException, heldRows: number): void {
    if (this.failing) {
      this.retries += 1;
      this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    } else {
      this.failing = true;
      this.failedAtMs = performance.now();
      this.retries = 0;
      this.droppedRows = 0;
      this.retryMs = FIRST_RETRY_MS;
      this.listener?.({ kind: 'write_failed', file: this.path, code: err.code ?? 'EIO', error: err.message, held_rows: heldRows });
    }
    // unref'd like the flush timer: a thread is kept alive by its work, not by a retry; close()
    // makes the last attempt.
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.retry(), this.retryMs).unref();
  }

  /** A retry wrote the `writtenRows` held. */
  recovered(writtenRows: number): void {
    clearTimeout(this.timer);
    this.failing = false;
    this.listener?.({
      kind: 'write_recovered',
      file: this.path,
      failed_ms: Math.round(performance.now() - this.failedAtMs),
      retries: this.retries + 1,
      written_rows: writtenRows,
      dropped_rows: this.droppedRows,
    });
  }

  /** The writer closes with `rows` it could not write. */
  dropHeld(rows: number): void {
    if (rows > 0) this.drop(rows);
  }

  close(): void {
    clearTimeout(this.timer);
  }

  private drop(rows: number): void {
    this.droppedRows += rows;
    this.listener?.({ kind: 'rows_dropped', file: this.path, rows });
  }
}
