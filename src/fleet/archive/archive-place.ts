// Where a chunk goes in the archive and whether it is already there: DIR/<vm>/<episode>/<file>.
// The names come from a subject any host with publish rights could have made up, so a name that
// could step out of DIR (a slash, a leading dot, '..') is refused rather than cleaned.
import { join } from 'node:path';
import type { FileAddress } from '../subject-token';

// The characters vmtel allows in vm and episode names, and a collector's output file name: none
// of them can be '..' or hold a slash.
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** The archive path of `address` under `intoDir`, or null when a name is not safe as a path. */
export function archivePath(intoDir: string, address: FileAddress): string | null {
  const { vm, episode, file } = address;
  if (![vm, episode, file].every((name) => SAFE_NAME.test(name))) return null;
  return join(intoDir, vm, episode, file);
}
