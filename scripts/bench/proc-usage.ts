// What the harness measures of vmtel from outside: CPU (user + sys of every thread) and resident
// memory of its process, read from /proc, and the CPU of children the harness has reaped (the
// only way to count a process's CPU up to its very last instruction).
import { readdirSync, readFileSync } from 'node:fs';
import { ticksToMs } from '../../src/proc/clock-ticks';
import { parsePidStat } from '../../src/proc/pid-stat';
import { readTextIfPresent } from '../../src/proc/read-proc-file';

/** User + system CPU of process `pid` so far, every thread it ever had, in ms (10 ms resolution). */
export function processCpuMs(pid: number): number {
  const stat = parsePidStat(readFileSync(`/proc/${pid}/stat`, 'latin1'));
  if (stat === null) throw new Error(`/proc/${pid}/stat has no stat line`);
  return stat.utime_ms + stat.stime_ms;
}

/**
 * CPU time of process `pid` so far, in ms: the sum over its live threads of the scheduler's
 * own count (the first field of /proc/PID/task/TID/schedstat, in ns), so an idle window of a
 * few milliseconds is measured to the microsecond rather than in 10 ms clock ticks. Threads that
 * have exited are not counted: use it across windows in which no thread ends.
 */
export function liveThreadsCpuMs(pid: number): number {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) ns += Number(readTextIfPresent(`/proc/${pid}/task/${tid}/schedstat`)?.split(' ')[0] ?? 0);
  return ns / 1e6;
}

export interface Memory {
  rssKib: number;
  /** The most the process has ever had resident (VmHWM). */
  peakRssKib: number;
}

export function processMemory(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'latin1');
  const kib = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssKib: kib('VmRSS'), peakRssKib: kib('VmHWM') };
}

/**
 * User + system CPU of every child this process has waited for, in ms: cutime + cstime (fields
 * 16 and 17 of /proc/self/stat). Node reaps a child before its 'exit' event, so the difference
 * across one child's life is that child's whole CPU, provided no other child ends meanwhile.
 */
export function reapedChildrenCpuMs(): number {
  const text = readFileSync('/proc/self/stat', 'latin1');
  // Fields counted after the last ")", as proc(5) numbers them (the comm may hold spaces).
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return ticksToMs(Number(fields[16 - 3]) + Number(fields[17 - 3]));
}
