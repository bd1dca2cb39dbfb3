// /proc/PID/stat and /proc/PID/task/TID/stat: one line, "pid (comm) state f4 f5 ...". comm may
// hold spaces and parentheses ("CPU 0/KVM", or anything a process names itself), so it is cut
// at the LAST ")" and the fields counted from there (field numbers as in proc(5)).
import { ticksToMs } from './clock-ticks';

export interface PidStat {
  comm: string;
  /** R running, S sleeping, D disk wait, Z zombie, ... */
  state: string;
  minflt: number;
  majflt: number;
  utime_ms: number;
  stime_ms: number;
  num_threads: number;
  /** Start time after boot in clock ticks: with the pid, it names one process for good. */
  starttime_ticks: number;
  vsize_bytes: number;
  /** The CPU it last ran on. */
  processor: number;
}

/** The parsed line, or null when it does not have the shape of a stat line. */
export function parsePidStat(text: string): PidStat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const rest = text.slice(close + 2).trim().split(' ');
  // rest[0] is field 3 (state); field n is rest[n - 3].
  const field = (n: number): number => Number(rest[n - 3]);
  if (rest.length < 37) return null;
  return {
    comm: text.slice(open + 1, close),
    state: rest[0] ?? '',
    minflt: field(10),
    majflt: field(12),
    utime_ms: ticksToMs(field(14)),
    stime_ms: ticksToMs(field(15)),
    num_threads: field(20),
    starttime_ticks: field(22),
    vsize_bytes: field(23),
    processor: field(39),
  };
}
