// The idle cost of an episode: all five collectors at their default intervals against the
// simulated VM (agent, QMP and pid file from `vmtel sim`, `lo` for net), measured over a window
// after start-up, with vmtel's CPU and memory only (the simulator is another process). The same
// runs give start latency (spawn to the last collector_started) and stop latency with five
// collectors.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { withDeadline } from '../../test/helpers/wait-for';
import { withBenchDir } from './bench-dir';
import { isJsonObject } from './verify-rows';
import { VmtelChild, CLI } from './vmtel-child';

// The idle cost is the steady state of a long episode: start-up's tail (the JIT, and the
// memory-reducing GCs V8 runs about 8 s after a thread's allocations calm down) is left out.
const SETTLE_MS = 10_000;
// In an episode the VM is up before vmtel starts: the simulator, a Node process that has just
// started, is given this long to finish its own start-up (its JIT and first GCs) so that it does
// not compete with vmtel's.
const SIM_SETTLE_MS = 2000;
// RSS is sampled this often over the window.
const RSS_SAMPLE_MS = 500;

// The simulator, a node process, stands in for QEMU: qemu_process is told to sample it.
const ALL_FIVE = '  guest_agent:\n  qmp:\n  qemu_process:\n    process_names: [node]\n  host:\n  net:\n    interface: lo\n';

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
    const runDir = join(dir, 'run');
    const simArgs = [CLI, 'sim', '--run-dir', runDir, '--agent-rate', String(agentRowsPerSec)];
    const sim = spawn(process.execPath, simArgs, { stdio: ['ignore', 'pipe', 'inherit'] });
    const simExited = once(sim, 'exit');
    let vmtel: VmtelChild | undefined;
    try {
      await withDeadline('vmtel sim to be ready', simReady(sim.stdout), 10_000);
      await delay(SIM_SETTLE_MS);
      vmtel = VmtelChild.start(dir, ALL_FIVE);
      const started = await vmtel.collectorsStarted(5, 15_000);
      await delay(SETTLE_MS);
      const cpuBeforeMs = vmtel.preciseCpuMs();
      const windowStartMs = performance.now();
      let maxRssKib = 0;
      for (let elapsedMs = 0; elapsedMs < windowS * 1000; elapsedMs = performance.now() - windowStartMs) {
        maxRssKib = Math.max(maxRssKib, vmtel.memory()?.rssKib ?? 0);
        await delay(RSS_SAMPLE_MS);
      }
      const cpuMs = vmtel.preciseCpuMs() - cpuBeforeMs;
      const windowMs = performance.now() - windowStartMs;
      const signalNs = vmtel.terminate();
      const exit = await vmtel.exited(10_000);
      return {
        windowS: windowMs / 1000,
        cpuPctOfCore: (cpuMs / windowMs) * 100,
        maxRssMib: maxRssKib / 1024,
        startLatencyMs: vmtel.startLatencyMs(started),
        startedMs: Object.fromEntries(started.map((e) => [e.source, Number(e.atNs - vmtel!.spawnNs) / 1e6])),
        stopLatencyMs: Number(exit.exitNs - signalNs) / 1e6,
        problems: episodeProblems(vmtel),
      };
    } finally {
      vmtel?.kill();
      sim.kill('SIGTERM');
      await withDeadline('vmtel sim to exit', simExited, 10_000);
    }
  });
}

async function simReady(stdout: NodeJS.ReadableStream): Promise<void> {
  for await (const line of createInterface({ input: stdout })) {
    if ((JSON.parse(line) as { sim?: string }).sim === 'ready') return;
  }
  throw new Error('vmtel sim ended before it was ready');
}

// Every collector recorded rows and none failed; every line of every file is a JSON object.
function episodeProblems(vmtel: VmtelChild): string[] {
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

