// Reads a JSONL file once, front to back, in fixed-size chunks, and hands each complete line to
// a callback as a byte range of the chunk: no string per line, no array of lines, so a file of
// millions of rows is read in the memory of one chunk (plus the longest line).
import { open } from 'node:fs/promises';

// 1 MiB per read: large enough that the per-read cost vanishes beside the scan, small enough to
// stay in cache. The buffer grows only for a line longer than this (a guest line may be 1 MiB).
const CHUNK_BYTES = 1 << 20;
const NEWLINE = 0x0a;

/** Called with one line (without its "\n") as bytes [start, end) of `bytes`. */
export type OnLine = (bytes: Buffer, start: number, end: number) => void;

export interface LineTotals {
  /** Complete lines, each ending in "\n". */
  lines: number;
  bytes: number;
  /** Bytes after the last "\n": a line cut short (a crash while writing), never given to onLine. */
  unterminatedBytes: number;
}

/** Calls `onLine` for every complete line of `path`; a missing file reads as empty. */
export async function forEachLine(path: string, onLine: OnLine): Promise<LineTotals> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { lines: 0, bytes: 0, unterminatedBytes: 0 };
    throw err;
  }
  try {
    let buffer: Buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let filled = 0;
    let lines = 0;
    let bytes = 0;
    for (;;) {
      if (filled === buffer.length) buffer = grown(buffer);
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
      if (bytesRead === 0) break;
      bytes += bytesRead;
      const end = filled + bytesRead;
      let start = 0;
      for (let newline = buffer.indexOf(NEWLINE, filled); newline !== -1 && newline < end; newline = buffer.indexOf(NEWLINE, start)) {
        onLine(buffer, start, newline);
        lines += 1;
        start = newline + 1;
      }
      // The partial line left at the end moves to the front for the next read.
      buffer.copy(buffer, 0, start, end);
      filled = end - start;
    }
    return { lines, bytes, unterminatedBytes: filled };
  } finally {
    await handle.close();
  }
}

function grown(buffer: Buffer): Buffer {
  const bigger = Buffer.allocUnsafe(buffer.length * 2);
  buffer.copy(bigger);
  return bigger;
}
