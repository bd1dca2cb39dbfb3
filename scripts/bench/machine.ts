// What the figures were measured on: a benchmark is only comparable with its machine, its load
// and its runtime named beside it.
import { cpus, loadavg, release, totalmem } from 'node:os';

export interface Machine {
  cpuModel: string;
  cores: number;
  ramGib: number;
  kernel: string;
  node: string;
  /** 1-minute load average when the suite started and when it ended. */
  loadBefore: number;
  loadAfter: number | null;
}

export function describeMachine(): Machine {
  const cores = cpus();
  return {
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    cores: cores.length,
    ramGib: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: release(),
    node: process.version,
    loadBefore: loadavg()[0] ?? NaN,
    loadAfter: null,
  };
}

export function loadNow(): number {
  return loadavg()[0] ?? NaN;
}
