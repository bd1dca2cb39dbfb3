// A pid file: QEMU's `-pidfile` (often written after vmtel has started) and vmtel's own run-dir
// lock. A file that is empty or half-written is simply "no pid (yet)": the caller decides what
// that means (look again next tick; take the lock). QEMU's pid file is not trusted either: it
// may be stale, or written by anyone who can write the run dir, so the pid it names is sampled
// only when that process's executable is QEMU's.
import { readlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readTextIfPresent } from './read-proc-file';

// One pid and an optional newline, as QEMU writes it ("%d\n"); anything else is not a pid.
const PID_TEXT = /^\s*(\d{1,10})\s*$/;
// The kernel keeps a process's comm to 15 bytes (TASK_COMM_LEN 16, with the NUL).
const COMM_BYTES = 15;
// readlink of /proc/PID/exe says this when the binary was replaced or removed since it started.
const DELETED_SUFFIX = ' (deleted)';

/** The pid in `path`, or null while the file is absent, empty or not (yet) a pid. */
export function readPidfile(path: string): number | null {
  const text = readTextIfPresent(path);
  const match = text === null ? null : PID_TEXT.exec(text);
  const pid = match === null ? 0 : Number(match[1]);
  return pid > 0 ? pid : null;
}

/** What QEMU's pid file names: nothing (yet), a QEMU process, or some other process (or none). */
export type QemuPidfile =
  | { kind: 'absent' }
  | { kind: 'qemu'; pid: number }
  /** `processName` is null when no process has that pid. */
  | { kind: 'not_qemu'; pid: number; processName: string | null };

/**
 * Reads QEMU's pid file and checks the process it names: its executable's name (from
 * /proc/PID/exe, or /proc/PID/comm when exe cannot be read) must match one of `names`, where a
 * trailing `*` matches any rest ("qemu-system-*").
 */
export function readQemuPidfile(path: string, names: readonly string[], procRoot = '/proc'): QemuPidfile {
  const pid = readPidfile(path);
  if (pid === null) return { kind: 'absent' };
  const name = executableName(join(procRoot, String(pid)));
  if (name !== null && names.some((pattern) => matches(name.text, pattern, name.isComm))) return { kind: 'qemu', pid };
  return { kind: 'not_qemu', pid, processName: name?.text ?? null };
}

function executableName(dir: string): { text: string; isComm: boolean } | null {
  try {
    const exe = readlinkSync(join(dir, 'exe'));
    return { text: basename(exe.endsWith(DELETED_SUFFIX) ? exe.slice(0, -DELETED_SUFFIX.length) : exe), isComm: false };
  } catch {
    // Another user's process (EACCES without privileges), a kernel thread, or no process at all.
  }
  const comm = readTextIfPresent(join(dir, 'comm'));
  return comm === null ? null : { text: comm.replace(/\n$/, ''), isComm: true };
}

// comm holds only the first 15 bytes of the name, so a pattern is cut the same way for it.
function matches(name: string, pattern: string, isComm: boolean): boolean {
  const wildcard = pattern.endsWith('*');
  const fixed = wildcard ? pattern.slice(0, -1) : pattern;
  if (isComm && fixed.length >= COMM_BYTES) return name === fixed.slice(0, COMM_BYTES);
  return wildcard ? name.startsWith(fixed) : name === fixed;
}
