// A pid file: QEMU's `-pidfile` (often written after vmtel has started) and vmtel's own run-dir
// lock. A file that is empty or half-written is simply "no pid (yet)": the caller decides what
// that means (look again next tick; take the lock).
import { readTextIfPresent } from './read-proc-file';

// One pid and an optional newline, as QEMU writes it ("%d\n"); anything else is not a pid.
const PID_TEXT = /^\s*(\d{1,10})\s*$/;

/** The pid in `path`, or null while the file is absent, empty or not (yet) a pid. */
export function readPidfile(path: string): number | null {
  const text = readTextIfPresent(path);
  const match = text === null ? null : PID_TEXT.exec(text);
  const pid = match === null ? 0 : Number(match[1]);
  return pid > 0 ? pid : null;
}
