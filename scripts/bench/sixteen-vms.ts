// Issue 20, item 4: sixteen VMs on one host, idle. Sixteen simulated VMs (`vmtel sim`), then
// sixteen `vmtel run` processes with all five collectors, one per VM, or sixteen collectd
// instances with the plugins of the idle figure (idle-peers.ts), each sampling its own VM's
// process; total CPU and resident memory of the sixteen over one window, measured alike.
// collectd has no counterpart of guest_agent and qmp: vmtel does more in this comparison.
// Alone: node dist/scripts/bench/sixteen-vms.js [--runs N] [--vms N] [--window-s S]
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { withBenchDir } from './bench-dir';
import { CollectdChild, ensureCollectd } from './collectd-peer';
import { ALL_FIVE, episodeProblems, SETTLE_MS, SIM_SETTLE_MS } from './idle-run';
import { simProcessRegex, type PeerWindow } from './idle-peers';
import { measureIdleWindow } from './idle-window';
import { startSim, type SimProcess } from './sim-process';
import { median } from './stats';
import { VmtelChild } from './vmtel-child';
import { idleWorkersRssMib } from './worker-floor';

// Sixteen starts share the machine's cores: each gets this long to have its collectors running.
const ALL_STARTED_MS = 120_000;

export interface SixteenPair {
  vms: number;
  vmtel: PeerWindow;
  collectd: PeerWindow;
}

/** Resident memory of bare Node and of each empty worker thread (worker-floor.ts), in MiB. */
export interface WorkerFloor {
  processMib: number;
  perWorkerMib: number;
}

// `vms` simulated VMs, each in dir/vmN/run, for the time `body` runs.
async function withSims<T>(dir: string, vms: number, body: (runDirs: string[]) => Promise<T>): Promise<T> {
  const sims: SimProcess[] = [];
  try {
    for (let i = 0; i < vms; i++) sims.push(await startSim(join(dir, `vm${i}`, 'run'), 1));
    await delay(SIM_SETTLE_MS);
    return await body(sims.map((_, i) => join(dir, `vm${i}`, 'run')));
  } finally {
    await Promise.all(sims.map((sim) => sim.stop()));
  }
}

async function sixteenVmtel(vms: number, windowS: number): Promise<PeerWindow> {
  return withBenchDir((dir) =>
    withSims(dir, vms, async (runDirs) => {
      const children = runDirs.map((_, i) => VmtelChild.start(join(dir, `vm${i}`), ALL_FIVE));
      try {
        await Promise.all(children.map((vmtel) => vmtel.collectorsStarted(5, ALL_STARTED_MS)));
        await delay(SETTLE_MS);
        const window = await measureIdleWindow(
          windowS,
          () => children.reduce((sum, vmtel) => sum + vmtel.preciseCpuMs(), 0),
          () => children.reduce((sum, vmtel) => sum + (vmtel.memory()?.rssKib ?? 0), 0),
        );
        for (const vmtel of children) vmtel.terminate();
        await Promise.all(children.map((vmtel) => vmtel.exited(30_000)));
        return { ...window, problems: children.flatMap((vmtel, i) => episodeProblems(vmtel).map((p) => `vm${i}: ${p}`)) };
      } finally {
        for (const vmtel of children) vmtel.kill();
      }
    }),
  );
}

async function sixteenCollectd(vms: number, windowS: number): Promise<PeerWindow> {
  return withBenchDir((dir) =>
    withSims(dir, vms, async (runDirs) => {
      const children = runDirs.map((runDir, i) => CollectdChild.start(join(dir, `vm${i}`, 'collectd'), simProcessRegex(runDir)));
      try {
        await delay(SETTLE_MS);
        const window = await measureIdleWindow(
          windowS,
          () => children.reduce((sum, collectd) => sum + collectd.preciseCpuMs(), 0),
          () => children.reduce((sum, collectd) => sum + collectd.memory().rssKib, 0),
        );
        await Promise.all(children.map((collectd) => collectd.stop()));
        return { ...window, problems: children.flatMap((collectd, i) => collectd.problems().map((p) => `vm${i}: ${p}`)) };
      } finally {
        await Promise.all(children.map((collectd) => collectd.stop()));
      }
    }),
  );
}

/** `runs` pairs of sixteen vmtel and sixteen collectd, the order alternating; each logged. */
export async function runSixteenVms(runs: number, vms: number, windowS: number, log: (line: string) => void): Promise<SixteenPair[]> {
  ensureCollectd();
  const pairs: SixteenPair[] = [];
  for (let i = 0; i < runs; i++) {
    const collectdFirst = i % 2 === 1;
    const first = await (collectdFirst ? sixteenCollectd : sixteenVmtel)(vms, windowS);
    const second = await (collectdFirst ? sixteenVmtel : sixteenCollectd)(vms, windowS);
    const pair = collectdFirst ? { vms, collectd: first, vmtel: second } : { vms, vmtel: first, collectd: second };
    log(`${vms} VMs, vmtel vs collectd ${i + 1}/${runs}: ${JSON.stringify(pair)}`);
    pairs.push(pair);
  }
  return pairs;
}

/** The memory floor of a process and of a worker, for the one-process-per-host estimate. */
export async function measureWorkerFloor(workers: number): Promise<WorkerFloor> {
  const processMib = await idleWorkersRssMib(0);
  const withWorkersMib = await idleWorkersRssMib(workers);
  return { processMib, perWorkerMib: (withWorkersMib - processMib) / workers };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { runs: { type: 'string', default: '2' }, vms: { type: 'string', default: '16' }, 'window-s': { type: 'string', default: '20' } },
  });
  const say = (line: string): void => void process.stdout.write(`${line}\n`);
  const pairs = await runSixteenVms(Number(values.runs), Number(values.vms), Number(values['window-s']), say);
  const floor = await measureWorkerFloor(5);
  say(`worker floor: ${JSON.stringify(floor)}`);
  say(`total CPU, vmtel ÷ collectd: ${median(pairs.map((p) => p.vmtel.cpuPctOfCore / p.collectd.cpuPctOfCore)).toFixed(2)} (target ≤ 1.0)`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}
