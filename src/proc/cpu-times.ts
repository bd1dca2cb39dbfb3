// /proc/stat: cumulated CPU time per state, for all CPUs ("cpu") and each online one ("cpu3"),
// plus system-wide counters. Times are converted from clock ticks to milliseconds.
import { ticksToMs } from './clock-ticks';

// The columns of a cpu line, in order (proc(5)). guest and guest_nice are already counted in
// user and nice.
const CPU_COLUMNS = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal', 'guest', 'guest_nice'];
// The field name of each column, built once: the file is parsed every second.
const CPU_FIELDS = CPU_COLUMNS.map((column) => `${column}_ms`);

export interface CpuTimes {
  /** Per line name ("cpu", "cpu0", ...): `<state>_ms` for each column present. */
  cpus: Map<string, Record<string, number>>;
  /** ctxt, processes, procs_running, procs_blocked as present. */
  system: Record<string, number>;
}

const SYSTEM_KEYS = new Set(['ctxt', 'processes', 'procs_running', 'procs_blocked']);
// Every line worth a field starts with one of these; the rest (intr, softirq: hundreds of
// numbers on a large host) is passed over without being split.
const WANTED_PREFIXES = ['cpu', 'ctxt', 'proc'];

export function parseCpuTimes(text: string): CpuTimes {
  const cpus = new Map<string, Record<string, number>>();
  const system: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (!isWanted(line)) continue;
    const [name = '', ...values] = line.split(/\s+/);
    if (/^cpu\d*$/.test(name)) {
      const times: Record<string, number> = {};
      for (let i = 0; i < CPU_FIELDS.length; i++) {
        const value = values[i];
        if (value !== undefined && value !== '') times[CPU_FIELDS[i]!] = ticksToMs(Number(value));
      }
      cpus.set(name, times);
    } else if (SYSTEM_KEYS.has(name) && values[0] !== undefined) {
      system[name] = Number(values[0]);
    }
  }
  return { cpus, system };
}

function isWanted(line: string): boolean {
  for (const prefix of WANTED_PREFIXES) if (line.startsWith(prefix)) return true;
  return false;
}

/**
 * The share of time a CPU was busy between two samples, from the deltas of its times: the
 * states other than idle and iowait over all states. Null without deltas or when no time passed.
 */
export function busyFraction(deltas: Record<string, unknown>): number | null {
  let total = 0;
  let busy = 0;
  for (const column of CPU_COLUMNS.slice(0, 8)) {
    const delta = deltas[`${column}_ms_delta`];
    if (delta === undefined) continue;
    if (typeof delta !== 'number') return null;
    total += delta;
    if (column !== 'idle' && column !== 'iowait') busy += delta;
  }
  return total > 0 ? busy / total : null;
}
