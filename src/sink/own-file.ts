// Files vmtel writes are its own. Run as root in a run dir another local user may have touched, a
// plain open() follows a symlink planted at `events.jsonl` and appends guest text to whatever it
// points at. So every file vmtel writes or repairs is opened here: never through a link
// (O_NOFOLLOW), never blocking on a FIFO planted in its place (O_NONBLOCK, which changes nothing
// for a regular file), and checked after the open (fstat on the descriptor, so nothing can be
// swapped in between) to be a regular file owned by the running user before anything is written.
import { constants, fchmodSync, fstatSync, openSync, closeSync, readFileSync } from 'node:fs';
import { VmtelError } from '../errors';

/** Files vmtel creates: read and written by the running user, read by its group (guest telemetry is not world-readable). */
export const DEFAULT_FILE_MODE = 0o640;

const { O_APPEND, O_CREAT, O_EXCL, O_NOFOLLOW, O_NONBLOCK, O_RDONLY, O_RDWR, O_WRONLY } = constants;

// What the file is opened for: appending (created when absent), reading, repairing in place, or
// creating a new file that must not exist yet (temp files under unpredictable names).
const FLAGS = {
  append: O_WRONLY | O_APPEND | O_CREAT,
  read: O_RDONLY,
  update: O_RDWR,
  create: O_WRONLY | O_CREAT | O_EXCL,
} as const;

export type OpenPurpose = keyof typeof FLAGS;

export interface OwnFile {
  fd: number;
  /** Size at open: for an append, the offset the next byte goes to. */
  sizeBytes: number;
}

/**
 * Opens `path` for `purpose`; throws VMTEL_RUN_DIR_UNSAFE when it is a link, not a regular file
 * or not the running user's. `mode` is the mode of a file this open creates; `enforceMode` also
 * sets it on a file that exists (the main thread does so at start, so `file_mode` holds for
 * files kept from an earlier start too).
 */
export function openOwnFile(path: string, purpose: OpenPurpose, mode = DEFAULT_FILE_MODE, enforceMode = false): OwnFile {
  let fd: number;
  try {
    fd = openSync(path, FLAGS[purpose] | O_NOFOLLOW | O_NONBLOCK, mode);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // ELOOP: the name is a symbolic link. ENXIO: a FIFO with no reader (a regular file never gives it).
    if (code === 'ELOOP') throw unsafe(path, 'is a symbolic link');
    if (code === 'ENXIO') throw unsafe(path, 'is a FIFO');
    throw err;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw unsafe(path, 'is not a regular file');
    const uid = process.geteuid?.() ?? stat.uid;
    if (stat.uid !== uid) throw unsafe(path, `belongs to uid ${stat.uid}, not to the running user (uid ${uid})`);
    if (enforceMode && (stat.mode & 0o7777) !== mode) fchmodSync(fd, mode);
    return { fd, sizeBytes: stat.size };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/** The whole text of a file of vmtel's own (opened as above, never through a link); null when there is none. */
export function readOwnText(path: string): string | null {
  let fd: number;
  try {
    ({ fd } = openOwnFile(path, 'read'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/** The error for a file vmtel refuses to touch; says why and that nothing was written. */
export function unsafe(path: string, why: string): VmtelError {
  return new VmtelError('VMTEL_RUN_DIR_UNSAFE', `refusing ${path}: it ${why}; vmtel writes only regular files of its own and never through a link`);
}

/** `mode` as the octal text people write (0640). */
export function octal(mode: number): string {
  return `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;
}
