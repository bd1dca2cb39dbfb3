// QMP messages are JSON objects each ended by a newline, and a large reply (blockstats of many
// disks, per-vCPU stats) spans many socket reads. Chunks are kept as Buffers and joined once per
// line, so a multi-byte UTF-8 character split across reads is never decoded in halves.

const NEWLINE = 0x0a;

export interface LineFramerOptions {
  /** Receives each complete line, without its newline. */
  onLine(line: Buffer): void;
  /** A line longer than this is dropped whole (reported once with its size), never buffered. */
  maxLineBytes: number;
  onOversized(bytes: number): void;
}

export class LineFramer {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  // Set while skipping the rest of an oversized line up to its newline.
  private discarding = false;

  constructor(private readonly options: LineFramerOptions) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(NEWLINE, start);
      if (newline < 0) {
        this.hold(chunk.subarray(start));
        return;
      }
      this.hold(chunk.subarray(start, newline));
      this.endLine();
      start = newline + 1;
    }
  }

  private hold(part: Buffer): void {
    if (part.length === 0) return;
    this.pendingBytes += part.length;
    if (this.discarding) return;
    if (this.pendingBytes > this.options.maxLineBytes) {
      this.discarding = true;
      this.pending = [];
      return;
    }
    this.pending.push(part);
  }

  private endLine(): void {
    if (this.discarding) this.options.onOversized(this.pendingBytes);
    else if (this.pendingBytes > 0) {
      this.options.onLine(this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes));
    }
    this.pending = [];
    this.pendingBytes = 0;
    this.discarding = false;
  }
}
