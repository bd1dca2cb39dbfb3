// Two vmtel processes appending to one run dir would interleave two timelines in the same files.
// The lock file names the holder's pid; a holder that no longer exists (killed by SIGKILL before
// pm2 restarted us) is taken over, a live one is refused. Node has no flock(2), and a lock file
// must outlive a crash to be seen as stale, so the lock is made of atomic file operations:
//
// - The lock never exists without its pid: it is written under an unpredictable name of this
//   process's own (created exclusively, never through a link) and then linked to the lock's name.
//   link(2) fails when the name exists, so of any number of starts on a free run dir exactly one
//   takes it.
// - Taking over a dead holder's lock is a replace (rename(2)), which cannot fail on an existing
//   name, so it needs a lock of its own: `vmtel.lock.takeover-<dead pid>`, taken the same way
//   (link). Only its holder may replace the lock, and only after reading the lock again under it
//   and finding the same dead pid. Of racers that all read the dead pid: one takes the take-over
//   lock and replaces the lock; the others either find the take-over lock held by a live process
//   (they wait the microseconds it is held, then start over and find the winner alive: busy), or
//   take it after the winner let it go and read the winner's pid in the lock (busy). Two can
//   never both replace it, whatever their number and timing.
// - A take-over lock whose holder died in that window is itself stale: it is taken over by the
//   same rule one level down (`…takeover-<pid>.takeover-<pid>`), so no crash leaves a run dir
//   locked for good.
import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { VmtelError } from '../errors';
import { LOCK_FILE } from '../run-dir-files';
import { openOwnFile } from '../sink/own-file';

// A take-over lock is held for a few file operations; on a loaded host that may stretch to
// milliseconds. Past this its holder is taken to be stuck and the start is refused as busy.
const TAKEOVER_WAIT_MS = 5000;
const TAKEOVER_POLL_MS = 2;

// One pid and an optional newline; anything else (empty, half-written, garbage) names no holder.
const PID_TEXT = /^\s*(\d{1,10})\s*$/;

type Taken = { held: true } | { held: false; holder: number };

export class RunDirLock {
  private constructor(private readonly path: string) {}

  /** Takes `runDir`'s lock or throws VMTEL_RUN_DIR_BUSY naming the live holder. */
  static acquire(runDir: string, fileMode?: number): RunDirLock {
    const path = join(runDir, LOCK_FILE);
    const taken = takeLockFile(path, fileMode, Date.now() + TAKEOVER_WAIT_MS);
    if (!taken.held) throw new VmtelError('VMTEL_RUN_DIR_BUSY', `run directory ${runDir} is in use by vmtel process ${taken.holder}`);
    return new RunDirLock(path);
  }

  /** Lets the lock go; on a run dir gone or read-only it stays, naming this (soon dead) process. */
  release(): void {
    try {
      releaseLockFile(this.path);
    } catch {
      // A lock that names a dead process is taken over by the next start: nothing is lost.
    }
  }
}

function takeLockFile(path: string, fileMode: number | undefined, deadlineMs: number): Taken {
  for (;;) {
    const ownPath = writeOwnPidFile(path, fileMode);
    try {
      if (linkIfAbsent(ownPath, path)) return { held: true };
      const holder = readHolder(path);
      if (holder === 'absent') continue;
      if (holder !== null && holder !== process.pid && isAlive(holder)) return { held: false, holder };
      const takeoverPath = `${path}.takeover-${holder ?? 'none'}`;
      const takeover = takeLockFile(takeoverPath, fileMode, deadlineMs);
      if (!takeover.held) {
        // Another start is replacing the lock right now: once it is done, the lock names it.
        if (Date.now() >= deadlineMs) return takeover;
        sleepMs(TAKEOVER_POLL_MS);
        continue;
      }
      try {
        if (readHolder(path) === holder) {
          renameSync(ownPath, path);
          return { held: true };
        }
      } finally {
        releaseLockFile(takeoverPath);
      }
      // Someone took the lock over between the first read and the take-over lock: start again.
    } finally {
      rmSync(ownPath, { force: true });
    }
  }
}

function releaseLockFile(path: string): void {
  if (readHolder(path) === process.pid) rmSync(path, { force: true });
}

// This process's pid in a new file beside `lockPath`, under a name no one can predict.
function writeOwnPidFile(lockPath: string, fileMode: number | undefined): string {
  const ownPath = `${lockPath}.${process.pid}.${randomBytes(6).toString('hex')}`;
  const { fd } = openOwnFile(ownPath, 'create', fileMode);
  try {
    writeSync(fd, Buffer.from(`${process.pid}\n`));
  } catch (err) {
    rmSync(ownPath, { force: true });
    throw err;
  } finally {
    closeSync(fd);
  }
  return ownPath;
}

// The pid a lock file names, null when it names none, 'absent' when there is no such file. A link
// or anything but a regular file of ours is refused (VMTEL_RUN_DIR_UNSAFE), never read through.
function readHolder(path: string): number | null | 'absent' {
  let fd: number;
  try {
    ({ fd } = openOwnFile(path, 'read'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw err;
  }
  try {
    const text = Buffer.alloc(32);
    const match = PID_TEXT.exec(text.toString('utf8', 0, readSync(fd, text, 0, text.length, 0)));
    const pid = match === null ? 0 : Number(match[1]);
    return pid > 0 ? pid : null;
  } finally {
    closeSync(fd);
  }
}

function linkIfAbsent(existingPath: string, newPath: string): boolean {
  try {
    linkSync(existingPath, newPath);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else, which still means "alive".
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepMs(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}
