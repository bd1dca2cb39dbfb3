// Issue 20, item 2: the idle cost of vmtel's host-side samplers against collectd doing the same
// work, side by side in one run. Each pair shares one simulated VM (its node process stands in for
// QEMU for both): vmtel with host, net (on lo) and qemu_process at 1 s, then collectd with cpu
// (per CPU), memory, load, interface (lo) and processes (the simulator) at Interval 1 writing
// CSV, or the other way round, alternating the order from pair to pair. Both are measured alike
// (idle-window.ts) after the same settling time. Alone:
//   node dist/scripts/bench/idle-peers.js [--runs N] [--window-s S]
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { withBenchDir } from './bench-dir';
import { CollectdChild, ensureCollectd, literalRegex } from './collectd-peer';
import { episodeProblems, SETTLE_MS, SIM_SETTLE_MS } from './idle-run';
import { measureIdleWindow, type IdleWindow } from './idle-window';
import { startSim } from './sim-process';
import { median } from './stats';
import { VmtelChild } from './vmtel-child';

// The simulator, a node process, stands in for QEMU: qemu_process is told to sample it.
export const THREE_SAMPLERS = '  qemu_process:\n    process_names: [node]\n  host:\n  net:\n    interface: lo\n';

export interface PeerWindow extends IdleWindow {
  problems: string[];
}

export interface IdlePeerPair {
  vmtel: PeerWindow;
  collectd: PeerWindow;
}

/** collectd's `ProcessMatch` regex for the simulator serving `runDir` (its command line). */
export function simProcessRegex(runDir: string): string {
  return `sim --run-dir ${literalRegex(runDir)} `;
}

/** vmtel's three samplers against the simulator serving `dir`/run, measured over `windowS`. */
async function vmtelSamplers(dir: string, windowS: number): Promise<PeerWindow> {
  const vmtel = VmtelChild.start(dir, THREE_SAMPLERS);
  try {
    await vmtel.collectorsStarted(3, 15_000);
    await delay(SETTLE_MS);
    const window = await measureIdleWindow(windowS, () => vmtel.preciseCpuMs(), () => vmtel.memory()?.rssKib ?? 0);
    vmtel.terminate();
    await vmtel.exited(10_000);
    return { ...window, problems: episodeProblems(vmtel) };
  } finally {
    vmtel.kill();
  }
}

/** collectd with the equivalent plugins, sampling the simulator serving `runDir`. */
async function collectdPlugins(dir: string, runDir: string, windowS: number): Promise<PeerWindow> {
  const collectd = CollectdChild.start(dir, simProcessRegex(runDir));
  try {
    await delay(SETTLE_MS);
    const window = await measureIdleWindow(windowS, () => collectd.preciseCpuMs(), () => collectd.memory().rssKib);
    await collectd.stop();
    return { ...window, problems: collectd.problems() };
  } finally {
    await collectd.stop();
  }
}

/** One pair on one simulated VM; `collectdFirst` decides the order. */
export async function runIdlePeerPair(windowS: number, collectdFirst: boolean): Promise<IdlePeerPair> {
  return withBenchDir(async (dir) => {
    const runDir = join(dir, 'run');
    // The in-guest agent's default interval, as in the idle episode (the samplers do not read it).
    const sim = await startSim(runDir, 1);
    try {
      await delay(SIM_SETTLE_MS);
      const vmtel = (): Promise<PeerWindow> => vmtelSamplers(dir, windowS);
      const collectd = (): Promise<PeerWindow> => collectdPlugins(join(dir, 'collectd'), runDir, windowS);
      if (collectdFirst) {
        const c = await collectd();
        return { collectd: c, vmtel: await vmtel() };
      }
      const v = await vmtel();
      return { vmtel: v, collectd: await collectd() };
    } finally {
      await sim.stop();
    }
  });
}

/** `runs` pairs, the order alternating; each logged as it ends. */
export async function runIdlePeers(runs: number, windowS: number, log: (line: string) => void): Promise<IdlePeerPair[]> {
  ensureCollectd();
  const pairs: IdlePeerPair[] = [];
  for (let i = 0; i < runs; i++) {
    const pair = await runIdlePeerPair(windowS, i % 2 === 1);
    log(`idle samplers vs collectd ${i + 1}/${runs}: ${JSON.stringify(pair)}`);
    pairs.push(pair);
  }
  return pairs;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, 'window-s': { type: 'string', default: '20' } } });
  const pairs = await runIdlePeers(Number(values.runs), Number(values['window-s']), (line) => process.stdout.write(`${line}\n`));
  const ratio = median(pairs.map((p) => p.vmtel.cpuPctOfCore / p.collectd.cpuPctOfCore));
  process.stdout.write(`idle CPU, vmtel's samplers ÷ collectd: ${ratio.toFixed(2)} (target ≤ 1.0)\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}
