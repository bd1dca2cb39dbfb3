// Cuts the next chunk of whole lines out of an append-only file, from a byte offset. Only whole
// lines go out: a line still being written is left for the next look, so the archive never holds
// half a row. A chunk is about CHUNK_TARGET_BYTES; one line longer than that goes alone, and a
// line longer than the server takes in one message goes in pieces (lines: 0) so it can never
// block the file behind it.
import { readSync } from 'node:fs';

// 256 KiB: large enough that a catch-up of a big backlog is bound by bandwidth, not round trips,
// and a quarter of NATS's default max_payload (1 MiB), so a chunk never nears the limit.
export const CHUNK_TARGET_BYTES = 256 * 1024;
// Room left under max_payload for the headers.
const HEADER_ROOM_BYTES = 4096;

export interface LinesChunk {
  offset: number;
  bytes: Buffer;
  lines: number;
}

const NEWLINE = 0x0a;

/** The next chunk at `offset` of a file of `sizeBytes`, or null when no whole line is there yet. */
export function readChunk(fd: number, offset: number, sizeBytes: number, maxPayloadBytes: number): LinesChunk | null {
  const available = sizeBytes - offset;
  if (available <= 0) return null;
  const target = readAt(fd, offset, Math.min(available, CHUNK_TARGET_BYTES));
  const end = target.lastIndexOf(NEWLINE);
  if (end >= 0) return linesChunk(offset, target.subarray(0, end + 1));
  if (available <= target.length) return null;
  const pieceLimit = Math.max(CHUNK_TARGET_BYTES, maxPayloadBytes - HEADER_ROOM_BYTES);
  const longer = readAt(fd, offset, Math.min(available, pieceLimit));
  const first = longer.indexOf(NEWLINE);
  if (first >= 0) return linesChunk(offset, longer.subarray(0, first + 1));
  return longer.length === pieceLimit ? { offset, bytes: longer, lines: 0 } : null;
}

function linesChunk(offset: number, bytes: Buffer): LinesChunk {
  let lines = 0;
  for (let at = bytes.indexOf(NEWLINE); at >= 0; at = bytes.indexOf(NEWLINE, at + 1)) lines += 1;
  return { offset, bytes, lines };
}

function readAt(fd: number, offset: number, length: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buffer, got, length - got, offset + got);
    if (n === 0) break;
    got += n;
  }
  return buffer.subarray(0, got);
}
