// `node dist/scripts/bench/report-bench.js [--runs N]`: the report benchmark alone (it is also
// part of `npm run bench`), printing each run and the medians against the targets.
import { parseArgs } from 'node:util';
import { withBenchDir } from './bench-dir';
import { describeMachine, loadNow } from './machine';
import { runReport, writeReportEpisode } from './report-run';
import { median } from './stats';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
  const machine = describeMachine();
  process.stdout.write(`machine: ${JSON.stringify(machine)}\n`);
  const runs = await withBenchDir(async (dir) => {
    const writeStarted = performance.now();
    const runDir = writeReportEpisode(dir);
    process.stdout.write(`episode written in ${((performance.now() - writeStarted) / 1000).toFixed(1)} s\n`);
    const results = [];
    for (let i = 0; i < Number(values.runs); i++) {
      const run = await runReport(runDir);
      process.stdout.write(`report ${i + 1}: ${JSON.stringify(run)}\n`);
      results.push(run);
    }
    return results;
  });
  process.stdout.write(
    `median: report ${median(runs.map((r) => r.reportS)).toFixed(1)} s (target ≤ 20 s), peak RSS ${median(runs.map((r) => r.peakRssMib)).toFixed(0)} MiB (target ≤ 300 MiB), wc -l ${median(runs.map((r) => r.wcS)).toFixed(1)} s; load ${machine.loadBefore} → ${loadNow()}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`report bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
