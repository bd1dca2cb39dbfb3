// The bounded framer hands over regions of whole lines; QMP handles one message per line, so
// both ends of a QMP socket walk a region the same way, decoding each line on its own.
const NEWLINE = 0x0a;

/** Calls `onLine` with each line of `buf[start, end)` (every line ends in "\n"), decoded as UTF-8. */
export function eachLine(buf: Buffer, start: number, end: number, onLine: (line: string) => void): void {
  for (let lineStart = start; lineStart < end; ) {
    const newline = buf.indexOf(NEWLINE, lineStart);
    onLine(buf.toString('utf8', lineStart, newline));
    lineStart = newline + 1;
  }
}
