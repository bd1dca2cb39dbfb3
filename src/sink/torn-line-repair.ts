// After a crash the last line of a JSONL file may be cut short. Gluing the next row onto it would
// corrupt two rows, so the fragment is moved to `<file>.torn` (kept, never thrown away) and the
// file is cut back to its last complete line before anything is appended. Neither the file nor
// `.torn` is ever opened through a link: a planted `x.jsonl -> /etc/shadow` would otherwise be
// cut short and its tail copied out (see own-file.ts).
import { closeSync, ftruncateSync, readSync, writeSync } from 'node:fs';
import { DEFAULT_FILE_MODE, openOwnFile } from './own-file';

// Read the tail in blocks: a torn fragment is at most one batch long, and reading backwards
// keeps the cost independent of the file's size.
const TAIL_BLOCK_BYTES = 64 * 1024;

export interface TornTail {
  path: string;
  tornBytes: number;
  tornPath: string;
}

/** Repairs `path` if its last line is incomplete; returns what was moved aside, or null. */
export function repairTornTail(path: string, fileMode = DEFAULT_FILE_MODE): TornTail | null {
  let fd: number;
  let size: number;
  try {
    ({ fd, sizeBytes: size } = openOwnFile(path, 'update'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    if (size === 0 || lastByte(fd, size) === 0x0a) return null;
    const keep = lengthUpToLastNewline(fd, size);
    const fragment = Buffer.alloc(size - keep);
    readSync(fd, fragment, 0, fragment.length, keep);
    const tornPath = `${path}.torn`;
    appendTo(tornPath, Buffer.concat([fragment, Buffer.from('\n')]), fileMode);
    ftruncateSync(fd, keep);
    return { path, tornBytes: fragment.length, tornPath };
  } finally {
    closeSync(fd);
  }
}

function appendTo(path: string, data: Buffer, fileMode: number): void {
  const { fd } = openOwnFile(path, 'append', fileMode);
  try {
    for (let offset = 0; offset < data.length; ) offset += writeSync(fd, data, offset);
  } finally {
    closeSync(fd);
  }
}

function lastByte(fd: number, size: number): number {
  const one = Buffer.alloc(1);
  readSync(fd, one, 0, 1, size - 1);
  return one[0]!;
}

function lengthUpToLastNewline(fd: number, size: number): number {
  const block = Buffer.alloc(TAIL_BLOCK_BYTES);
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - TAIL_BLOCK_BYTES);
    const read = readSync(fd, block, 0, end - start, start);
    const newline = block.subarray(0, read).lastIndexOf(0x0a);
    if (newline >= 0) return start + newline + 1;
    end = start;
  }
  return 0;
}
