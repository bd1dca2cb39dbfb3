// When a process that died without stopping last wrote a row: the newest row stamped before the
// next process started. Rows of a telemetry file are appended in time order, so a binary search
// on byte offsets finds it with a few small reads however large the file.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

// A row's head, `{"t_mono_ns":N,"t_wall_ns":M`, sits in its first hundred bytes; a window of
// 64 KiB finds the next line start in all but the longest guest rows, which a second read covers.
const WINDOW_BYTES = 64 * 1024;
const WALL = /"t_wall_ns":(\d+)/;

/**
 * The t_wall_ns (as a Number: ms precision is plenty here) of the last row of `path` stamped
 * before `beforeWallNs` (any row when null), or null when there is none or no file.
 */
export function lastRowWallBefore(path: string, beforeWallNs: number | null): number | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const size = fstatSync(fd).size;
    let best: number | null = null;
    let low = 0;
    let high = size;
    // Invariant: every line starting before `low` is before the limit, none starting at or after `high` is.
    while (low < high) {
      const middle = Math.floor((low + high) / 2);
      const line = lineFrom(fd, middle, size);
      if (line === null || line.start >= high) {
        high = middle;
        continue;
      }
      if (line.wallNs !== null && (beforeWallNs === null || line.wallNs < beforeWallNs)) {
        best = best === null ? line.wallNs : Math.max(best, line.wallNs);
        low = line.start + 1;
      } else {
        high = middle;
      }
    }
    return best;
  } finally {
    closeSync(fd);
  }
}

// The first line starting at or after `offset` (offset 0 is a line start), with its wall stamp
// (null when its head does not parse: a torn line).
function lineFrom(fd: number, offset: number, size: number): { start: number; wallNs: number | null } | null {
  const window = Buffer.allocUnsafe(WINDOW_BYTES);
  let start = offset;
  if (offset > 0) {
    // Look for the newline ending the line `offset - 1` is in.
    let at = offset - 1;
    for (;;) {
      if (at >= size) return null;
      const read = readSync(fd, window, 0, WINDOW_BYTES, at);
      const newline = window.subarray(0, read).indexOf(0x0a);
      if (newline >= 0) {
        start = at + newline + 1;
        break;
      }
      at += read;
    }
  }
  if (start >= size) return null;
  const read = readSync(fd, window, 0, Math.min(WINDOW_BYTES, 256), start);
  const match = WALL.exec(window.subarray(0, read).toString('latin1'));
  return { start, wallNs: match === null ? null : Number(match[1]) };
}
