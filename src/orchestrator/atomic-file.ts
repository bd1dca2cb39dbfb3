// A file that readers must never see half-written (the episode manifest) is written to a temp
// file beside it, fsync'd, then renamed over the old one: rename(2) is atomic within a folder.
// The rename alone already keeps it whole through a crash of the process; the fsync is for a
// crash of the host, and it can wait on the disk for a long time.
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';

/** Replaces `path` with `contents` at once; `durable: false` leaves out the fsync. */
export function writeFileAtomic(path: string, contents: string | Uint8Array, { durable = true } = {}): void {
  const tempPath = `${path}.${process.pid}.tmp`;
  const fd = openSync(tempPath, 'w');
  try {
    const data = Buffer.from(contents);
    let offset = 0;
    while (offset < data.length) offset += writeSync(fd, data, offset);
    if (durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tempPath, path);
}
