// The report benchmark: an episode of one hour with the guest agent at 2,000 rows/s (7.2 million
// rows) beside the four samplers at their default interval, written as a synthetic run dir, then
// `vmtel report --json` on it as its own process: wall time and peak RSS (VmHWM, sampled and
// read at exit through the process's status). The floor beside it is `wc -l` reading the same
// files in the same run: the cost of reading the bytes and finding the newlines, in C.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_SCRIPT } from '../../src/pm2/pm2-app';
import { writeSyntheticRunDir } from '../../test/helpers/synthetic-run-dir';
import { processMemory, reapedChildrenCpuMs } from './proc-usage';

const ROOT = join(__dirname, '..', '..', '..');
// Often enough to catch the peak between samples of a process that runs for seconds; VmHWM is
// the kernel's own peak, so sampling only has to happen before the process exits.
const SAMPLE_MS = 50;

export const REPORT_LOAD = { durationS: 3600, guestRowsPerSec: 2000, samplerIntervalMs: 1000 } as const;

export interface ReportRun {
  guestRows: number;
  fileMib: number;
  reportS: number;
  /** User + system CPU of the report process: what it costs, whatever else the machine runs. */
  reportCpuS: number;
  peakRssMib: number;
  wcS: number;
}

export const REPORT_EPISODE_DIR = 'report-episode';

/** Writes the episode into `dir`; returns its run dir. */
export function writeReportEpisode(dir: string): string {
  const runDir = join(dir, REPORT_EPISODE_DIR);
  writeSyntheticRunDir(runDir, {
    durationS: REPORT_LOAD.durationS,
    guest: { rateHz: REPORT_LOAD.guestRowsPerSec, driftPpm: 12 },
    samplers: ['qmp', 'qemu_process', 'host', 'net'].map((name) => ({ name, kind: name, intervalMs: REPORT_LOAD.samplerIntervalMs })),
  });
  return runDir;
}

/** One report of `runDir` and one `wc -l` of its files. */
export async function runReport(runDir: string): Promise<ReportRun> {
  const files = readdirSync(runDir).filter((f) => f.endsWith('.jsonl')).map((f) => join(runDir, f));
  const bytes = files.reduce((sum, f) => sum + statSync(f).size, 0);
  const wcStarted = performance.now();
  const wc = spawnSync('wc', ['-l', ...files], { encoding: 'utf8' });
  const wcS = (performance.now() - wcStarted) / 1000;
  const guestRows = Number(/(\d+) \S*guest_agent/.exec(wc.stdout)?.[1] ?? NaN);

  const started = performance.now();
  const cpuBeforeMs = reapedChildrenCpuMs();
  const child = spawn(process.execPath, [join(ROOT, CLI_SCRIPT), 'report', runDir, '--json', '--out', join(runDir, 'report.json')], { stdio: ['ignore', 'ignore', 'inherit'] });
  let peakKib = 0;
  const sampler = setInterval(() => {
    try {
      // An exited process not yet reaped has no memory figures (NaN): its last sample stands.
      const sampled = processMemory(child.pid!).peakRssKib;
      if (Number.isFinite(sampled)) peakKib = Math.max(peakKib, sampled);
    } catch {
      // Gone already: its last sample stands.
    }
  }, SAMPLE_MS);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(sampler);
  if (code !== 0) throw new Error(`vmtel report exited with ${code}`);
  const reportS = (performance.now() - started) / 1000;
  return { guestRows, fileMib: bytes / 2 ** 20, reportS, reportCpuS: (reapedChildrenCpuMs() - cpuBeforeMs) / 1000, peakRssMib: peakKib / 1024, wcS };
}
