// The real `vmtel run` as a child process, as pm2 starts it, and what the harness reads of it:
// its spawn and exit instants on CLOCK_MONOTONIC, its CPU and memory from /proc, its events
// and its manifest once it has written them.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readManifest, type Manifest } from '../../src/orchestrator/manifest';
import { parseExactJson } from '../../src/sink/exact-json';
import { waitFor, withDeadline } from '../../test/helpers/wait-for';
import { liveThreadsCpuMs, processCpuMs, processMemory, reapedChildrenCpuMs, type Memory } from './proc-usage';
import { CLI_SCRIPT } from '../../src/pm2/pm2-app';

// How often the harness looks for collector_started events while vmtel starts.
const STARTED_POLL_MS = 250;

// The CLI as it ships (the bundle), from dist/scripts/bench.
export const CLI = join(__dirname, '..', '..', '..', CLI_SCRIPT);

export interface VmtelEvent {
  source: string;
  event: string;
  /** Absolute CLOCK_MONOTONIC ns: the event's t_mono_ns plus the episode's origin. */
  atNs: bigint;
  fields: Record<string, unknown>;
}

export interface VmtelExit {
  code: number | null;
  signal: string | null;
  exitNs: bigint;
  /** The process's whole CPU, start to exit, all threads. */
  cpuMs: number;
}

export class VmtelChild {
  readonly pid: number;
  private readonly exitPromise: Promise<VmtelExit>;
  private stderr = '';

  private constructor(
    readonly runDir: string,
    readonly spawnNs: bigint,
    private readonly child: ChildProcess,
  ) {
    this.pid = child.pid ?? NaN;
    const cpuBeforeMs = reapedChildrenCpuMs();
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exitPromise = once(child, 'exit').then(([code, signal]) => ({
      code: code as number | null,
      signal: signal as string | null,
      exitNs: process.hrtime.bigint(),
      cpuMs: reapedChildrenCpuMs() - cpuBeforeMs,
    }));
  }

  /**
   * Writes a config of `collectorsYaml` (the `collectors:` block's entries) and starts vmtel on
   * it; `moreYaml` is appended as top-level keys (the fleet benchmark's `ship:`).
   */
  static start(dir: string, collectorsYaml: string, moreYaml = ''): VmtelChild {
    const configPath = join(dir, 'bench.yaml');
    const runDir = join(dir, 'run');
    writeFileSync(configPath, `vm: bench\nepisode: bench\nrun_dir: run\nlog_level: warn\ncollectors:\n${collectorsYaml}${moreYaml}`);
    const spawnNs = process.hrtime.bigint();
    const child = spawn(process.execPath, [CLI, 'run', '--config', configPath, '--run-dir', runDir], { stdio: ['ignore', 'ignore', 'pipe'] });
    return new VmtelChild(runDir, spawnNs, child);
  }

  /** Its CPU so far, start-up included, in ms (10 ms resolution). */
  cpuMs(): number {
    return processCpuMs(this.pid);
  }

  /** The CPU of its live threads so far, to the µs: for windows in which no thread ends. */
  preciseCpuMs(): number {
    return liveThreadsCpuMs(this.pid);
  }

  /** Its memory now, or null once it has exited. */
  memory(): Memory | null {
    return this.child.exitCode === null && this.child.signalCode === null ? processMemory(this.pid) : null;
  }

  /** Sends SIGTERM; resolves with the instant it was sent. */
  terminate(): bigint {
    const sentNs = process.hrtime.bigint();
    this.child.kill('SIGTERM');
    return sentNs;
  }

  async exited(timeoutMs: number): Promise<VmtelExit> {
    const exit = await withDeadline('vmtel run to exit', this.exitPromise, timeoutMs).catch((err: unknown) => {
      this.child.kill('SIGKILL');
      throw err;
    });
    if (exit.code !== 0) throw new Error(`vmtel run exited with ${exit.code ?? exit.signal}: ${this.stderr.trim()}`);
    return exit;
  }

  /** Kills vmtel if it still runs (a failed benchmark must not leave it behind). */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  /** The episode's events so far, stamped on the absolute monotonic clock. */
  events(): VmtelEvent[] {
    const originNs = this.originNs();
    const text = readFileSync(join(this.runDir, 'events.jsonl'), 'utf8');
    return text
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => {
        const { t_mono_ns: tMonoNs, source, event, ...fields } = parseExactJson(line) as Record<string, unknown>;
        return { source: String(source), event: String(event), atNs: originNs + BigInt(tMonoNs as number | bigint), fields };
      });
  }

  /** Waits until `count` collectors have said collector_started; returns those events. */
  async collectorsStarted(count: number, timeoutMs: number): Promise<VmtelEvent[]> {
    return waitFor(
      `${count} collector_started events`,
      () => {
        const started = this.events().filter((e) => e.event === 'collector_started');
        return started.length >= count && started;
      },
      timeoutMs,
      // The events carry vmtel's own stamps: looking less often does not change the figure, and
      // reading and parsing the files every 10 ms took CPU from vmtel's start on two cores.
      STARTED_POLL_MS,
    );
  }

  manifest(): Manifest {
    const manifest = readManifest(this.runDir);
    if (manifest === null) throw new Error(`no episode.json in ${this.runDir} yet`);
    return manifest;
  }

  originNs(): bigint {
    return this.manifest().t_mono_origin_ns;
  }

  /** From spawn to the last of `started` (collector_started events), in ms. */
  startLatencyMs(started: readonly VmtelEvent[]): number {
    return Number(started.reduce((latest, e) => (e.atNs > latest ? e.atNs : latest), this.spawnNs) - this.spawnNs) / 1e6;
  }
}
