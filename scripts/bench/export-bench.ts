// The export benchmark (issue 18): `vmtel export` of an hour-long episode (7.2 M guest rows and
// the samplers' rows) against its floor, DuckDB's own plain COPY of the guest file to Parquet,
// measured in the same run, alternately, each in a process of its own: wall time and peak RSS.
// Target: the whole export within 2× the floor's time.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_SCRIPT } from '../../src/pm2/pm2-app';
import { writeExportEpisode, GUEST_FILE } from './export-episode';
import { median } from './stats';

const ROOT = join(__dirname, '..', '..', '..');
// Three runs of each: one disturbed run does not decide the median, and the bench stays near 10 minutes.
export const DEFAULT_EXPORT_RUNS = 3;
const PRELOAD = join(__dirname, 'peak-rss-preload.js');
const FLOOR = join(__dirname, 'duckdb-floor.js');

export interface TimedRun {
  wallMs: number;
  peakRssMib: number;
}

export interface ExportBenchResult {
  rows: Record<string, number>;
  guestFileMib: number;
  floor: TimedRun[];
  export: TimedRun[];
  /** Median of export ÷ floor, run by run. */
  ratio: number;
}

/** Writes the episode into `dir`, then measures `runs` floors and exports, alternately. */
export async function runExportBench(dir: string, runs: number, log: (line: string) => void): Promise<ExportBenchResult> {
  const runDir = join(dir, 'episode');
  const startedMs = performance.now();
  const rows = writeExportEpisode(runDir);
  const guestPath = join(runDir, GUEST_FILE);
  const guestFileMib = statSync(guestPath).size / 2 ** 20;
  log(`export bench: episode written in ${((performance.now() - startedMs) / 1000).toFixed(0)} s (guest file ${guestFileMib.toFixed(0)} MiB)`);
  // Both read the files from the page cache: the first read of each is not measured.
  await timed(join(dir, 'warm'), [FLOOR, guestPath, join(dir, 'warm.parquet')]);
  const floor: TimedRun[] = [];
  const exported: TimedRun[] = [];
  for (let i = 0; i < runs; i++) {
    const floorRun = await timed(join(dir, 'floor'), [FLOOR, guestPath, join(dir, 'floor.parquet')]);
    rmSync(join(dir, 'floor.parquet'), { force: true });
    const out = join(dir, 'out');
    const exportRun = await timed(join(dir, 'export'), [join(ROOT, CLI_SCRIPT), 'export', runDir, '--out', out]);
    rmSync(out, { recursive: true, force: true });
    floor.push(floorRun);
    exported.push(exportRun);
    log(`export bench run ${i + 1}: floor ${floorRun.wallMs.toFixed(0)} ms / ${floorRun.peakRssMib.toFixed(0)} MiB, export ${exportRun.wallMs.toFixed(0)} ms / ${exportRun.peakRssMib.toFixed(0)} MiB`);
  }
  const ratio = median(exported.map((run, i) => run.wallMs / floor[i]!.wallMs));
  return { rows, guestFileMib, floor, export: exported, ratio };
}

// Runs `node args…` to its end: its wall time and its peak RSS as it reported it on exit.
async function timed(peakFile: string, args: string[]): Promise<TimedRun> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--require', PRELOAD, ...args], {
    env: { ...process.env, VMTEL_BENCH_PEAK_RSS_FILE: peakFile },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  const wallMs = performance.now() - started;
  if (code !== 0) throw new Error(`${args.join(' ')} exited with ${code}`);
  return { wallMs, peakRssMib: Number(readFileSync(peakFile, 'utf8')) / 1024 };
}
