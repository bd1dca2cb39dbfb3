// Whether a vmtel records in a run dir now: the pid in its lock, when that process is alive.
// summary and check say "running now" from it; neither takes the lock.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCK_FILE } from '../run-dir-files';

/** The pid in the run dir's lock when that process is alive (a vmtel recording there now), else null. */
export function liveHolder(runDir: string): number | null {
  let text: string;
  try {
    text = readFileSync(join(runDir, LOCK_FILE), 'utf8');
  } catch {
    return null;
  }
  const pid = /^\s*(\d{1,10})\s*$/.test(text) ? Number(text) : 0;
  if (pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    // EPERM: alive, but another user's.
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}
