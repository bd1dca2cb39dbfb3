// Reads a JSONL file once, front to back, in fixed-size chunks, and hands each complete line to
// a callback as a byte range of the chunk: no string per line, no array of lines, so a file of
// millions of rows is read in the memory of one chunk (plus the longest line). A run dir may hold
// what another local user put there: a link, a FIFO or a device is refused rather than followed
// or waited on, and a line beyond MAX_LINE_BYTES is skipped and counted rather than held.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { VmtelError } from '../errors';

// 1 MiB per read: large enough that the per-read cost vanishes beside the scan, small enough to
// stay in cache. The buffer grows only for a line longer than this (a guest line may be 1 MiB).
const CHUNK_BYTES = 1 << 20;
// vmtel writes no line near this long (a guest line is at most max_line_bytes, 1 MiB by default
// and at most 64 MiB, plus the host's head): a longer one is not vmtel's and is skipped.
const MAX_LINE_BYTES = 80 << 20;
const NEWLINE = 0x0a;

/** Called with one line (without its "\n") as bytes [start, end) of `bytes`. */
export type OnLine = (bytes: Buffer, start: number, end: number) => void;

export interface LineTotals {
  /** Complete lines, each ending in "\n". */
  lines: number;
  bytes: number;
  /** Bytes after the last "\n": a line cut short (a crash while writing), never given to onLine. */
  unterminatedBytes: number;
  /** Lines longer than MAX_LINE_BYTES, skipped (not given to onLine, not in `lines`). */
  oversizedLines: number;
}

/** Calls `onLine` for every complete line of `path`; a missing file reads as empty. */
export async function forEachLine(path: string, onLine: OnLine): Promise<LineTotals> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { lines: 0, bytes: 0, unterminatedBytes: 0, oversizedLines: 0 };
    if (code === 'ELOOP') throw notRegular(path, 'a symbolic link');
    throw err;
  }
  try {
    if (!(await handle.stat()).isFile()) throw notRegular(path, 'not a regular file (a FIFO, a device or a folder)');
    let buffer: Buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let filled = 0;
    let lines = 0;
    let bytes = 0;
    let oversizedLines = 0;
    // Inside a line too long to hold: bytes are dropped up to its newline.
    let skipping = false;
    for (;;) {
      if (filled === buffer.length) {
        if (buffer.length >= MAX_LINE_BYTES) {
          skipping = true;
          filled = 0;
        } else buffer = grown(buffer);
      }
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
      if (bytesRead === 0) break;
      bytes += bytesRead;
      const end = filled + bytesRead;
      let start = 0;
      for (let newline = buffer.indexOf(NEWLINE, filled); newline !== -1 && newline < end; newline = buffer.indexOf(NEWLINE, start)) {
        if (skipping) {
          skipping = false;
          oversizedLines += 1;
        } else {
          onLine(buffer, start, newline);
          lines += 1;
        }
        start = newline + 1;
      }
      // The partial line left at the end moves to the front for the next read.
      buffer.copy(buffer, 0, start, end);
      filled = end - start;
    }
    return { lines, bytes, unterminatedBytes: skipping ? 0 : filled, oversizedLines: oversizedLines + (skipping ? 1 : 0) };
  } finally {
    await handle.close();
  }
}

function notRegular(path: string, what: string): VmtelError {
  return new VmtelError('VMTEL_NOT_A_RUN_DIR', `${path} is ${what}: a run dir's files are regular files, so it is not read`);
}

function grown(buffer: Buffer): Buffer {
  const bigger = Buffer.allocUnsafe(Math.min(buffer.length * 2, MAX_LINE_BYTES));
  buffer.copy(bigger);
  return bigger;
}
