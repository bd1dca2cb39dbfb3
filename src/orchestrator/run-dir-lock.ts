// Two vmtel processes appending to one run dir would interleave two timelines in the same files.
// The lock file names the holder's pid; a holder that no longer exists (killed by SIGKILL before
// pm2 restarted us) is taken over, a live one is refused. The lock file never exists without its
// pid: it is written under a name of this process's own and then linked (to take it) or renamed
// (to take it over) to the lock's name. Created under its name and then written, it was empty for
// a moment, and a second vmtel starting at that moment read "no holder" and took it too.
import { linkSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VmtelError } from '../errors';
import { readPidfile } from '../proc/pid-file';
import { LOCK_FILE } from '../run-dir-files';

export class RunDirLock {
  private constructor(private readonly path: string) {}

  static acquire(runDir: string): RunDirLock {
    const path = join(runDir, LOCK_FILE);
    // link(2) fails when the name exists: of two vmtel started at the same instant, exactly one
    // takes it.
    if (withOwnPidFile(path, (own) => linkIfAbsent(own, path))) return new RunDirLock(path);
    const holder = readPidfile(path);
    if (holder !== null && holder !== process.pid && isAlive(holder)) {
      throw new VmtelError('VMTEL_RUN_DIR_BUSY', `run directory ${runDir} is in use by vmtel process ${holder}`);
    }
    // The holder is gone (or the file is not a pid): take the lock over.
    withOwnPidFile(path, (own) => renameSync(own, path));
    return new RunDirLock(path);
  }

  release(): void {
    if (readPidfile(this.path) === process.pid) rmSync(this.path, { force: true });
  }
}

// Writes this process's pid to a file of its own beside the lock, hands it to `use`, and removes
// whatever `use` left of it.
function withOwnPidFile<T>(lockPath: string, use: (ownPath: string) => T): T {
  const ownPath = `${lockPath}.${process.pid}`;
  writeFileSync(ownPath, `${process.pid}\n`);
  try {
    return use(ownPath);
  } finally {
    rmSync(ownPath, { force: true });
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
