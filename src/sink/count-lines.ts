// After a crash the manifest's counts are a few seconds old, but the files are the truth: a
// restarted episode recounts each collector's rows (lines) and bytes from its file, and so does
// the stop for a collector whose worker died with counts it had not posted yet.
import { closeSync, readSync } from 'node:fs';
import { openOwnFile } from './own-file';

// 1 MiB blocks: a multi-GB file is counted in about a second, with constant memory.
const BLOCK_BYTES = 1024 * 1024;

/**
 * Lines (newlines) and bytes of the file at `path`; zeros when it does not exist. Never reads
 * through a link (VMTEL_RUN_DIR_UNSAFE).
 */
export function countLines(path: string): { lines: number; bytes: number } {
  let fd: number;
  let bytes: number;
  try {
    ({ fd, sizeBytes: bytes } = openOwnFile(path, 'read'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { lines: 0, bytes: 0 };
    throw err;
  }
  try {
    const block = Buffer.allocUnsafe(BLOCK_BYTES);
    let lines = 0;
    // Up to the size at open: a writer still appending (a live worker) adds whole lines only
    // after it, and bytes must match the lines counted.
    for (let offset = 0; offset < bytes; ) {
      const read = readSync(fd, block, 0, Math.min(BLOCK_BYTES, bytes - offset), offset);
      if (read === 0) break;
      offset += read;
      const view = block.subarray(0, read);
      for (let at = view.indexOf(0x0a); at !== -1; at = view.indexOf(0x0a, at + 1)) lines += 1;
    }
    return { lines, bytes };
  } finally {
    closeSync(fd);
  }
}
