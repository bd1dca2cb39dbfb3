// Collects the output rows of one socket read. All rows completed by one read share its stamp
// (the time the bytes were read), so the host's head is built once per read; a read's lines are
// checked for UTF-8 and decoded in one native call each when, as usual, they are all valid. Each
// row then costs its JSON.parse and a few concatenations: the head, the row's own
// `t_guest_host_ns` (its sample time, which differs per row), and the guest's text after its "{".
import { isUtf8 } from 'node:buffer';
import type { RowFormat } from '../../sink/row-format';
import { type DropReason, guestObject, isPlainRow, RowDrop, spliceGuestRow } from './guest-row';

const NEWLINE = 0x0a;

/** What places each row on the host timeline (guest-clock.ts). */
export interface RowTiming {
  /** A read made at `tMonoNs` begins. */
  begin(tMonoNs: bigint): void;
  /** The text of the `t_guest_host_ns` of the row whose parsed object is `value`: digits or null. */
  sampledAt(value: object): string;
  /** Every row of the read has been through field(). */
  endRead(): void;
}

export class RowBatch {
  /** The rows of the current read, ready for HeadedRowWriter.writeHeaded. */
  lines = '';
  count = 0;
  private head = '';

  /**
   * `format` builds the runtime's head of every row (src/sink/row-format.ts).
   * `onDrop` gets each dropped line's reason and, when it was text, the line.
   */
  constructor(
    private readonly format: RowFormat,
    private readonly maxDepth: number,
    private readonly onDrop: (reason: DropReason, line?: string) => void,
    private readonly timing: RowTiming,
  ) {}

  /** Starts the rows of a read made at `tMonoNs` (wall time `tWallNs`). */
  begin(tMonoNs: bigint, tWallNs: bigint): void {
    // Up to the row's own value: every row's head ends with its sample time.
    this.head = this.format.sampledHead(tMonoNs, tWallNs);
    this.timing.begin(tMonoNs);
    this.lines = '';
    this.count = 0;
  }

  /** Every line of the read has been added. */
  end(): void {
    this.timing.endRead();
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
    const value = guestObject(line, this.maxDepth);
    if (value === null) return;
    if (value instanceof RowDrop) {
      this.onDrop(value.reason, line);
      return;
    }
    const sampledAt = this.timing.sampledAt(value);
    // A plain row (the common case) is the head, its sample time, ",", then the guest's text after its "{".
    this.lines += isPlainRow(line, value) ? `${this.head}${sampledAt},${line.slice(1)}\n` : spliceGuestRow(line, value, this.head + sampledAt);
    this.count++;
  }
}
