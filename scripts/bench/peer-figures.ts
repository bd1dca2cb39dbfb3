// Issue 20's figures against collectd: each a ratio of vmtel to collectd taken pair by pair (same
// run, same load), the median against its target, with both sides' own figures beside it. And
// what one process per host would save in memory, from the sixteen-VM run and the worker floor.
import { median } from './stats';
import type { Figure } from './figures';
import type { IdlePeerPair } from './idle-peers';
import type { SixteenPair, WorkerFloor } from './sixteen-vms';

type Pair = IdlePeerPair | SixteenPair;

const sides = (pairs: readonly Pair[], pick: (w: Pair['vmtel']) => number, digits: number): string =>
  `vmtel ${median(pairs.map((p) => pick(p.vmtel))).toFixed(digits)}, collectd ${median(pairs.map((p) => pick(p.collectd))).toFixed(digits)}`;

function cpuRatio(name: string, pairs: readonly Pair[]): Figure {
  const ratios = pairs.map((p) => p.vmtel.cpuPctOfCore / p.collectd.cpuPctOfCore);
  const m = median(ratios);
  return {
    figure: name,
    measured: `${m.toFixed(2)} ×: ${sides(pairs, (w) => w.cpuPctOfCore, 2)} % of a core; RSS ${sides(pairs, (w) => w.maxRssMib, 1)} MiB`,
    target: '≤ 1.0 × collectd',
    met: m <= 1,
    runs: ratios.map((r) => Number(r.toFixed(2))),
  };
}

/**
 * What sixteen processes cost beyond one: each holds a Node process's own memory once. The lower
 * bound is bare Node's (no code loaded), the upper one a vmtel process less its five workers
 * counted as empty ones (a vmtel worker holds more than an empty one, so the truth is below it).
 */
export function oneProcessSavingMib(pairs: readonly SixteenPair[], floor: WorkerFloor, workers: number): { lowMib: number; highMib: number } {
  const vms = pairs[0]?.vms ?? 0;
  const perVmtelMib = median(pairs.map((p) => p.vmtel.maxRssMib)) / vms;
  return { lowMib: (vms - 1) * floor.processMib, highMib: (vms - 1) * (perVmtelMib - workers * floor.perWorkerMib) };
}

export function peerFigures(idle: readonly IdlePeerPair[], sixteen: readonly SixteenPair[], floor: WorkerFloor, workers: number): Figure[] {
  const vms = sixteen[0]?.vms ?? 0;
  const saving = oneProcessSavingMib(sixteen, floor, workers);
  const memory = {
    figure: `${vms} VMs idle: what one process per host would save in RSS (${vms - 1} × a process's own memory)`,
    measured: `${saving.lowMib.toFixed(0)}–${saving.highMib.toFixed(0)} MiB (bare Node ${floor.processMib.toFixed(1)} MiB, an empty worker ${floor.perWorkerMib.toFixed(1)} MiB)`,
    target: 'reported, for the design decision',
    met: true,
    runs: [Number(saving.lowMib.toFixed(0)), Number(saving.highMib.toFixed(0))],
  };
  return [
    cpuRatio('idle CPU, host + net (lo) + qemu_process at 1 s ÷ collectd (cpu per CPU, memory, load, interface, processes at Interval 1, CSV), same run', idle),
    cpuRatio(`idle CPU, ${vms} VMs: ${vms} vmtel run (5 collectors each) ÷ ${vms} collectd (the plugins above), total`, sixteen),
    memory,
  ];
}
