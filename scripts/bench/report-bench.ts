// `node dist/scripts/bench/report-bench.js [--runs N] [--episode DIR]`: the report benchmark
// alone, printing each run and the medians against the targets. The episode takes about a minute
// to write; `--episode` reuses one written before (it is written there when missing).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { withBenchDir } from './bench-dir';
import { describeMachine, loadNow } from './machine';
import { REPORT_EPISODE_DIR, runReport, writeReportEpisode } from './report-run';
import { median } from './stats';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, episode: { type: 'string' } } });
  const machine = describeMachine();
  process.stdout.write(`machine: ${JSON.stringify(machine)}\n`);
  const measure = async (dir: string) => {
    const writeStarted = performance.now();
    const runDir = existsSync(join(dir, REPORT_EPISODE_DIR)) ? join(dir, REPORT_EPISODE_DIR) : writeReportEpisode(dir);
    process.stdout.write(`episode ready in ${((performance.now() - writeStarted) / 1000).toFixed(1)} s\n`);
    const results = [];
    for (let i = 0; i < Number(values.runs); i++) {
      const run = await runReport(runDir);
      process.stdout.write(`report ${i + 1}: ${JSON.stringify(run)}\n`);
      results.push(run);
    }
    return results;
  };
  const runs = values.episode === undefined ? await withBenchDir(measure) : await measure(values.episode);
  process.stdout.write(
    `median: report ${median(runs.map((r) => r.reportS)).toFixed(1)} s (target ≤ 20 s; CPU ${median(runs.map((r) => r.reportCpuS)).toFixed(1)} s), peak RSS ${median(runs.map((r) => r.peakRssMib)).toFixed(0)} MiB (target ≤ 300 MiB), wc -l ${median(runs.map((r) => r.wcS)).toFixed(1)} s; load ${machine.loadBefore} → ${loadNow()}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`report bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
