// Collects the output rows of one socket read. All rows completed by one read share its stamp
// (the time the bytes were read), so the host's head is built once per read; a read's lines are
// checked for UTF-8 and decoded in one native call each when, as usual, they are all valid.
import { isUtf8 } from 'node:buffer';
import { type DropReason, RowDrop, spliceGuestRow } from './guest-row';

const NEWLINE = 0x0a;

export class RowBatch {
  /** The rows of the current read, ready for RowWriter.writeLines. */
  lines = '';
  count = 0;
  private head = '';

  /**
   * `tag` is the host's constant part after the stamps: `,"source":…,"available_in_deployment":…`.
   * `onDrop` gets each dropped line's reason and, when it was text, the line.
   */
  constructor(
    private readonly tag: string,
    private readonly maxDepth: number,
    private readonly onDrop: (reason: DropReason, line?: string) => void,
  ) {}

  /** Starts the rows of a read made at `tMonoNs` (wall time `tWallNs`). */
  begin(tMonoNs: bigint, tWallNs: bigint): void {
    this.head = `{"t_mono_ns":${tMonoNs},"t_wall_ns":${tWallNs}${this.tag}`;
    this.lines = '';
    this.count = 0;
  }

  /** Adds the complete lines in `buf[start, end)`; each ends in "\n". */
  addLines(buf: Buffer, start: number, end: number): void {
    if (isUtf8(buf.subarray(start, end))) {
      for (const line of buf.toString('utf8', start, end - 1).split('\n')) this.addLine(line);
      return;
    }
    // Some line is not UTF-8: find which, rather than let toString replace its bytes.
    for (let lineStart = start; lineStart < end; ) {
      const newline = buf.indexOf(NEWLINE, lineStart);
      if (isUtf8(buf.subarray(lineStart, newline))) this.addLine(buf.toString('utf8', lineStart, newline));
      else this.onDrop('invalid_utf8');
      lineStart = newline + 1;
    }
  }

  private addLine(line: string): void {
    if (line.length === 0) return;
    const row = spliceGuestRow(line, this.head, this.maxDepth);
    if (typeof row === 'string') {
      this.lines += row;
      this.count++;
    } else if (row instanceof RowDrop) this.onDrop(row.reason, line);
  }
}
