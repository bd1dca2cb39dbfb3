// /proc and /sys entries vanish under a reader all the time (a thread exits, a tap interface is
// deleted); that is data, not an error. One reader turns "gone" into null and lets every other
// failure (permission, I/O) through for the caller to report.
import { readFileSync } from 'node:fs';

// ENOENT: the entry is gone (or never was); ESRCH: the process behind /proc/PID exited while
// it was read.
const GONE_CODES = new Set(['ENOENT', 'ESRCH']);

/** What `read` returns, or null when what it reads is gone; every other failure is thrown. */
export function nullIfGone<T>(read: () => T): T | null {
  try {
    return read();
  } catch (err) {
    if (GONE_CODES.has((err as NodeJS.ErrnoException).code ?? '')) return null;
    throw err;
  }
}

/** The text of a file (in /proc, /sys or elsewhere), or null when it (or its process) does not exist. */
export function readTextIfPresent(path: string): string | null {
  // Synchronous on purpose: each collector has its own thread, a procfs read takes
  // microseconds, and one sample read without interleaving is a more coherent snapshot.
  return nullIfGone(() => readFileSync(path, 'latin1'));
}

/** The errno code of a failed read ("EACCES"), or its message when it has none. */
export function readFailureReason(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
}
