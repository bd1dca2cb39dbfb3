// Fake /proc and /sys trees written by tests while a collector reads them from its own thread.
// A file is replaced by a rename, so the collector never reads it empty or half-written, and a
// collector's files are checked to be closed once it ends (a worker's fds are the process's).
import { readdirSync, readlinkSync, renameSync, writeFileSync } from 'node:fs';

/** Replaces `path` with `text` at once. */
export function writeWhole(path: string, text: string | Buffer): void {
  writeFileSync(`${path}.new`, text);
  renameSync(`${path}.new`, path);
}

/** The paths this process holds open under `dir`. */
export function openFilesUnder(dir: string): string[] {
  const open: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(`${dir}/`)) open.push(target);
    } catch {
      // The fd of the directory listing itself, closed as it was read.
    }
  }
  return open;
}
