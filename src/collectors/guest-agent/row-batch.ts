// Collects the output rows of one socket read. All rows completed by one read share its stamp
// (the time the bytes were read), so the host's head is built once per read; a read's lines are
// checked for UTF-8 and decoded in one native call each when, as usual, they are all valid, and
// its plain rows (the common case) get their heads in one native replace rather than a string
// join per row.
import { isUtf8 } from 'node:buffer';
import { type DropReason, isPlainRow, RowDrop, spliceGuestRow } from './guest-row';

const NEWLINE = 0x0a;

export class RowBatch {
  /** The rows of the current read, ready for RowWriter.writeLines. */
  lines = '';
  count = 0;
  private head = '';
  // What joins two plain rows in the output: the newline, the next row's head and its ",".
  private joint = '';

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
    this.joint = `\n${this.head},`;
    this.lines = '';
    this.count = 0;
  }

  /** Adds the complete lines in `buf[start, end)`; each ends in "\n". */
  addLines(buf: Buffer, start: number, end: number): void {
    if (isUtf8(buf.subarray(start, end))) {
      const text = buf.toString('utf8', start, end - 1);
      const lines = text.split('\n');
      let plain = 0;
      let plainChars = 0;
      for (; plain < lines.length && isPlainRow(lines[plain]!, this.maxDepth); plain++) plainChars += lines[plain]!.length + 1;
      if (plain > 0) this.addPlainRows(plain === lines.length ? text : text.slice(0, plainChars - 1), plain);
      for (let i = plain; i < lines.length; i++) this.addLine(lines[i]!);
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

  // `text` is `count` plain rows separated by "\n"; each line starts with "{" and no line holds a
  // "\n", so every "\n{" is a row's start.
  private addPlainRows(text: string, count: number): void {
    this.lines += `${this.head},${text.slice(1).replaceAll('\n{', this.joint)}\n`;
    this.count += count;
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
