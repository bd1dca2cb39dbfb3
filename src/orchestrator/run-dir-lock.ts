// Two vmtel processes appending to one run dir would interleave two timelines in the same files.
// The lock file names the holder's pid; a holder that no longer exists (killed by SIGKILL before
// pm2 restarted us) is taken over, a live one is refused.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VmtelError } from '../errors';
import { readPidfile } from '../proc/pid-file';
import { LOCK_FILE } from '../run-dir-files';

export class RunDirLock {
  private constructor(private readonly path: string) {}

  static acquire(runDir: string): RunDirLock {
    const path = join(runDir, LOCK_FILE);
    // O_EXCL: of two vmtel started at the same instant, exactly one creates the file.
    if (createExclusive(path)) return new RunDirLock(path);
    const holder = readPidfile(path);
    if (holder !== null && holder !== process.pid && isAlive(holder)) {
      throw new VmtelError('VMTEL_RUN_DIR_BUSY', `run directory ${runDir} is in use by vmtel process ${holder}`);
    }
    // The holder is gone (or never wrote its pid): take the lock over.
    writeFileSync(path, `${process.pid}\n`);
    return new RunDirLock(path);
  }

  release(): void {
    if (readPidfile(this.path) === process.pid) rmSync(this.path, { force: true });
  }
}

function createExclusive(path: string): boolean {
  try {
    writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
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
