// After a crash the manifest's counts are a few seconds old, but the files are the truth: a
// restarted episode recounts each collector's rows (lines) and bytes from its file.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

// 1 MiB blocks: a multi-GB file is counted in about a second, with constant memory.
const BLOCK_BYTES = 1024 * 1024;

/** Lines (newlines) and bytes of the file at `path`; zeros when it does not exist. */
export function countLines(path: string): { lines: number; bytes: number } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { lines: 0, bytes: 0 };
    throw err;
  }
  try {
    const block = Buffer.allocUnsafe(BLOCK_BYTES);
    let lines = 0;
    for (;;) {
      const read = readSync(fd, block, 0, BLOCK_BYTES, null);
      if (read === 0) break;
      const view = block.subarray(0, read);
      for (let at = view.indexOf(0x0a); at !== -1; at = view.indexOf(0x0a, at + 1)) lines += 1;
    }
    return { lines, bytes: fstatSync(fd).size };
  } finally {
    closeSync(fd);
  }
}
