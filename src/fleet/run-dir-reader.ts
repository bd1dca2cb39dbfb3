// The shipper's read access to a run dir: append-only files kept open (they only grow; a torn
// tail is repaired before the shipper of a restarted episode opens them) and rewritten files read
// whole. Nothing is opened through a link: a link planted in the run dir by another local user
// must not make vmtel ship the file it points at.
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const READ_NO_FOLLOW = constants.O_RDONLY | constants.O_NOFOLLOW;

export class RunDirReader {
  private readonly fds = new Map<string, number>();

  constructor(private readonly runDir: string) {}

  /** The open descriptor of `file`, or null while it does not exist. */
  fdOf(file: string): number | null {
    const open = this.fds.get(file);
    if (open !== undefined) return open;
    const fd = openIfThere(join(this.runDir, file));
    if (fd !== null) this.fds.set(file, fd);
    return fd;
  }

  sizeOf(file: string): number {
    const fd = this.fdOf(file);
    return fd === null ? 0 : fstatSync(fd).size;
  }

  /** The whole current version of a rewritten file, or null while it does not exist. */
  readWhole(file: string): Buffer | null {
    const fd = openIfThere(join(this.runDir, file));
    if (fd === null) return null;
    try {
      return readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }
}

/** Bytes of each file past its shipped offset (files with none left out). */
export function bytesBehind(files: readonly string[], sizeOf: (file: string) => number, offsetOf: (file: string) => number): Record<string, number> {
  const left: Record<string, number> = {};
  for (const file of files) {
    const bytes = sizeOf(file) - offsetOf(file);
    if (bytes > 0) left[file] = bytes;
  }
  return left;
}

function openIfThere(path: string): number | null {
  try {
    return openSync(path, READ_NO_FOLLOW);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
