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
  // Field n (n ≥ 3) is the (n - 3)th of the space-separated rest. Only the fields read are cut
  // out: a thread's line has 52 fields, read for every thread of QEMU every second.
  const rest = text.slice(close + 2).trim();
  const starts = fieldStarts(rest, LAST_FIELD);
  if (starts === null) return null;
  const field = (n: number): number => Number(rest.slice(starts[n - 3]!, starts[n - 2]! - 1));
  return {
    comm: text.slice(open + 1, close),
    state: rest.slice(0, starts[1]! - 1),
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

// The last field read (processor); a line without it is not a stat line.
const LAST_FIELD = 39;
// Reused for every line: the thread parses one line at a time.
const STARTS = new Int32Array(LAST_FIELD);

// Where each of fields 3..lastField of `rest` starts (index n - 3), with the end of lastField
// (+ 1, as if a space followed it) at lastField - 2; null when `rest` has fewer fields.
function fieldStarts(rest: string, lastField: number): Int32Array | null {
  let start = 0;
  for (let i = 0; i <= lastField - 3; i++) {
    STARTS[i] = start;
    const space = rest.indexOf(' ', start);
    if (space < 0) {
      if (i < lastField - 3) return null;
      start = rest.length + 1;
    } else start = space + 1;
  }
  STARTS[lastField - 2] = start;
  return STARTS;
}
