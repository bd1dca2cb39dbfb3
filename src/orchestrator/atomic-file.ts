// A file that readers must never see half-written (the episode manifest) is written to a temp
// file beside it, fsync'd, then renamed over the old one: rename(2) is atomic within a folder.
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';

export function writeFileAtomic(path: string, contents: string): void {
  const tempPath = `${path}.${process.pid}.tmp`;
  const fd = openSync(tempPath, 'w');
  try {
    const data = Buffer.from(contents);
    let offset = 0;
    while (offset < data.length) offset += writeSync(fd, data, offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tempPath, path);
}
