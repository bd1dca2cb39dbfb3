// The idle cost of an episode: all five collectors at their default intervals against the
// simulated VM (agent, QMP and pid file from `vmtel sim`, `lo` for net), measured over a window
// after start-up, with vmtel's CPU and memory only (the simulator is another process). The same
// runs give start latency (spawn to the last collector_started) and stop latency with five
// collectors.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { withBenchDir } from './bench-dir';
import { measureIdleWindow } from './idle-window';
import { startSim } from './sim-process';
import { isJsonObject } from './verify-rows';
import { VmtelChild } from './vmtel-child';

// The idle cost is the steady state of a long episode: start-up's tail (the JIT, and the
// memory-reducing GCs V8 runs about 8 s after a thread's allocations calm down) is left out.
export const SETTLE_MS = 10_000;
// In an episode the VM is up before vmtel starts: the simulator, a Node process that has just
// started, is given this long to finish its own start-up (its JIT and first GCs) so that it does
// not compete with vmtel's.
export const SIM_SETTLE_MS = 2000;

// The simulator, a node process, stands in for QEMU: qemu_process is told to sample it.
export const ALL_FIVE = '  guest_agent:\n  qmp:\n  qemu_process:\n    process_names: [node]\n  host:\n  net:\n    interface: lo\n';

export interface IdleRun {
  windowS: number;
  cpuPctOfCore: number;
  maxRssMib: number;
  startLatencyMs: number;
  /** Per collector, spawn to its collector_started, in ms. */
  startedMs: Record<string, number>;
  stopLatencyMs: number;
  problems: string[];
}

/** An idle episode with the simulated agent writing `agentRowsPerSec` rows a second. */
export async function runIdle(windowS: number, agentRowsPerSec: number): Promise<IdleRun> {
  return withBenchDir(async (dir) => {
    const sim = await startSim(join(dir, 'run'), agentRowsPerSec);
    let vmtel: VmtelChild | undefined;
    try {
      await delay(SIM_SETTLE_MS);
      vmtel = VmtelChild.start(dir, ALL_FIVE);
      const started = await vmtel.collectorsStarted(5, 15_000);
      await delay(SETTLE_MS);
      const running = vmtel;
      const window = await measureIdleWindow(windowS, () => running.preciseCpuMs(), () => running.memory()?.rssKib ?? 0);
      const signalNs = vmtel.terminate();
      const exit = await vmtel.exited(10_000);
      return {
        ...window,
        startLatencyMs: vmtel.startLatencyMs(started),
        startedMs: Object.fromEntries(started.map((e) => [e.source, Number(e.atNs - vmtel!.spawnNs) / 1e6])),
        stopLatencyMs: Number(exit.exitNs - signalNs) / 1e6,
        problems: episodeProblems(vmtel),
      };
    } finally {
      vmtel?.kill();
      await sim.stop();
    }
  });
}

/** Every collector recorded rows and none failed; every line of every file is a JSON object. */
export function episodeProblems(vmtel: VmtelChild): string[] {
  const problems: string[] = [];
  for (const e of vmtel.events()) if (e.event === 'collector_failed' || e.event === 'collector_gave_up') problems.push(`${e.source}: ${e.event}`);
  for (const [name, counts] of Object.entries(vmtel.manifest().collectors)) if (counts.rows === 0) problems.push(`${name}: no rows`);
  for (const file of readdirSync(vmtel.runDir).filter((f) => f.endsWith('.jsonl'))) {
    const lines = readFileSync(join(vmtel.runDir, file), 'utf8').split('\n').slice(0, -1);
    const bad = lines.filter((line) => !isJsonObject(line)).length;
    if (bad > 0) problems.push(`${file}: ${bad} lines that are not JSON objects`);
  }
  return problems;
}

