// `vmtel tap`: the rows of a recording episode as they reach its files, the way `vector tap`
// shows events flowing. It only reads: each file is opened read-only and followed from its end
// at the moment tap starts, so the writer never notices it (no lock, no socket traffic, no
// signal). Only whole lines are printed; a line the writer is still completing waits for its
// newline. It ends when the episode does (its control socket is gone), after printing the rest.
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { CONTROL_SOCKET_FILE } from '../run-dir-files';

// Often enough that rows appear as they are written, rarely enough to cost nothing.
const POLL_MS = 100;
// A file that grew by more than this since the last look is read in pieces, so tap's memory
// stays bounded under a flood (it then falls behind, it never drops a line).
const READ_CHUNK_BYTES = 1024 * 1024;

class FollowedFile {
  private fd: number | null = null;
  private offset = 0;
  private partial = Buffer.alloc(0);

  constructor(readonly path: string) {}

  /** Opens the file at its current end; false while it does not exist yet. */
  private open(fromStart: boolean): boolean {
    if (this.fd !== null) return true;
    try {
      this.fd = openSync(this.path, 'r');
    } catch {
      return false;
    }
    this.offset = fromStart ? 0 : fstatSync(this.fd).size;
    return true;
  }

  start(): void {
    this.open(false);
  }

  /** The whole lines written since the last call, at most about READ_CHUNK_BYTES of them. */
  readLines(): Buffer | null {
    // A file created after tap started is read from its beginning: every row of it is new.
    if (!this.open(true) || this.fd === null) return null;
    const size = fstatSync(this.fd).size;
    if (size <= this.offset) return null;
    const chunk = Buffer.allocUnsafe(Math.min(size - this.offset, READ_CHUNK_BYTES));
    const read = readSync(this.fd, chunk, 0, chunk.length, this.offset);
    this.offset += read;
    const data = this.partial.length === 0 ? chunk.subarray(0, read) : Buffer.concat([this.partial, chunk.subarray(0, read)]);
    const end = data.lastIndexOf(10) + 1;
    this.partial = Buffer.from(data.subarray(end));
    return end === 0 ? null : data.subarray(0, end);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/** Prints the new lines of `paths` through `write` until the episode ends or `signal` aborts. */
export async function tapFiles(runDir: string, paths: readonly string[], write: (lines: Buffer) => Promise<void>, signal: AbortSignal): Promise<void> {
  const files = paths.map((path) => new FollowedFile(path));
  for (const file of files) file.start();
  try {
    for (;;) {
      const recording = existsSync(join(runDir, CONTROL_SOCKET_FILE));
      let wrote = false;
      for (const file of files) {
        const lines = file.readLines();
        if (lines === null) continue;
        wrote = true;
        await write(lines);
      }
      // After the episode ended, every file is read to its end before leaving.
      if (signal.aborted || (!recording && !wrote)) return;
      if (!wrote) await delay(POLL_MS, undefined, { signal }).catch(() => undefined);
    }
  } finally {
    for (const file of files) file.close();
  }
}
