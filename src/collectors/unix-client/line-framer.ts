// Cuts a socket's byte stream (the guest agent's, QMP's) into lines without trusting it: at most
// max_line_bytes of an incomplete line is ever held, a longer one is skipped up to its newline,
// and every byte is looked at once (native indexOf), however the peer splits its writes.
//
// Complete lines are handed over as regions (many lines at once, each ending in "\n") so the
// row stage can validate and decode a whole read in one call instead of one call per line.

const NEWLINE = 0x0a;

export interface FramedLines {
  /** `buf[start, end)` holds one or more complete lines, each ending in "\n" and none too long. */
  onLines(buf: Buffer, start: number, end: number): void;
  /** One line longer than maxLineBytes started being skipped. */
  onOversized(): void;
}

export class LineFramer {
  private held: Buffer[] = [];
  private heldCount = 0;
  // Set while skipping the rest of an oversized line up to its newline.
  private discarding = false;

  /** `maxLineBytes` counts a line's bytes without its "\n" (a "\r" before it counts). */
  constructor(
    private readonly maxLineBytes: number,
    private readonly sink: FramedLines,
  ) {}

  /** Bytes of the incomplete last line held in memory; never more than maxLineBytes. */
  get heldBytes(): number {
    return this.heldCount;
  }

  /** Frames one read. `chunk` may be reused by the caller afterwards: held bytes are copied. */
  push(chunk: Buffer): void {
    let start = 0;
    if (this.discarding || this.heldCount > 0) {
      const newline = chunk.indexOf(NEWLINE);
      if (newline < 0) {
        this.hold(chunk, 0);
        return;
      }
      this.completeHeld(chunk, newline);
      start = newline + 1;
    }
    const lastNewline = chunk.lastIndexOf(NEWLINE);
    if (lastNewline >= start) this.emitRegion(chunk, start, lastNewline + 1);
    if (lastNewline + 1 < chunk.length) this.hold(chunk, lastNewline + 1);
  }

  /** Forgets the incomplete last line (the stream ended) and says how many bytes it had. */
  reset(): number {
    const dropped = this.heldCount;
    this.held = [];
    this.heldCount = 0;
    this.discarding = false;
    return dropped;
  }

  private hold(chunk: Buffer, from: number): void {
    if (this.discarding) return;
    const bytes = chunk.length - from;
    if (this.heldCount + bytes > this.maxLineBytes) {
      this.startDiscarding();
      return;
    }
    this.held.push(Buffer.from(chunk.subarray(from)));
    this.heldCount += bytes;
  }

  private completeHeld(chunk: Buffer, newline: number): void {
    if (this.discarding) {
      this.discarding = false;
      return;
    }
    if (this.heldCount + newline > this.maxLineBytes) {
      this.reset();
      this.sink.onOversized();
      return;
    }
    const line = Buffer.concat([...this.held, chunk.subarray(0, newline + 1)], this.heldCount + newline + 1);
    this.reset();
    this.sink.onLines(line, 0, line.length);
  }

  private startDiscarding(): void {
    this.reset();
    this.discarding = true;
    this.sink.onOversized();
  }

  // A region no longer than the limit cannot hold a long line: the common case costs nothing.
  private emitRegion(buf: Buffer, start: number, end: number): void {
    if (end - start <= this.maxLineBytes + 1) {
      this.sink.onLines(buf, start, end);
      return;
    }
    let runStart = start;
    let lineStart = start;
    while (lineStart < end) {
      const newline = buf.indexOf(NEWLINE, lineStart);
      if (newline - lineStart > this.maxLineBytes) {
        if (lineStart > runStart) this.sink.onLines(buf, runStart, lineStart);
        this.sink.onOversized();
        runStart = newline + 1;
      }
      lineStart = newline + 1;
    }
    if (end > runStart) this.sink.onLines(buf, runStart, end);
  }
}
