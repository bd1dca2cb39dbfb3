// A file that readers must never see half-written (the episode manifest) is written to a temp
// file beside it, fsync'd, then renamed over the old one: rename(2) is atomic within a folder.
// The rename alone already keeps it whole through a crash of the process; the fsync is for a
// crash of the host, and it can wait on the disk for a long time.
//
// The temp file's name is unpredictable and created exclusively (O_EXCL, never through a link):
// a predictable `episode.json.<pid>.tmp` could be planted beforehand as a link to any file, which
// vmtel, running as root, would then overwrite. A write that fails removes its temp file.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, renameSync, rmSync, writeSync } from 'node:fs';
import { DEFAULT_FILE_MODE, openOwnFile } from '../sink/own-file';

export interface AtomicWriteOptions {
  /** false leaves out the fsync. */
  durable?: boolean;
  fileMode?: number;
}

/** Replaces `path` with `contents` at once; throws (and leaves no temp file) if it cannot. */
export function writeFileAtomic(path: string, contents: string | Uint8Array, { durable = true, fileMode = DEFAULT_FILE_MODE }: AtomicWriteOptions = {}): void {
  const tempPath = `${path}.${randomBytes(8).toString('hex')}.tmp`;
  const { fd } = openOwnFile(tempPath, 'create', fileMode);
  try {
    try {
      const data = Buffer.from(contents);
      let offset = 0;
      while (offset < data.length) offset += writeSync(fd, data, offset);
      if (durable) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tempPath, path);
  } catch (err) {
    rmSync(tempPath, { force: true });
    throw err;
  }
}
