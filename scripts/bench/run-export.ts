// `node dist/scripts/bench/run-export.js [--runs N]`: the export benchmark alone (it takes both
// cores for several minutes); prints its figures as the rows of docs/benchmarks.md's export table
// and writes the raw runs to docs/benchmarks/export.json.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { withBenchDir } from './bench-dir';
import { runExportBench } from './export-bench';
import { describeMachine, loadNow } from './machine';
import { median } from './stats';

const ROOT = join(__dirname, '..', '..', '..');
// Three runs of each: one disturbed run does not decide the median, and the bench stays near 5 minutes.
const DEFAULT_RUNS = 3;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: String(DEFAULT_RUNS) } } });
  const runs = Number(values.runs);
  const machine = describeMachine();
  const result = await withBenchDir((dir) => runExportBench(dir, runs, (line) => process.stdout.write(`${line}\n`)));
  machine.loadAfter = loadNow();
  const date = new Date().toISOString().replace(/\.\d+Z$/, ' UTC').replace('T', ' ');
  writeFileSync(join(ROOT, 'docs', 'benchmarks', 'export.json'), `${JSON.stringify({ date, runs, machine, ...result }, null, 2)}\n`);
  const ms = (list: Array<{ wallMs: number }>): string => `${(median(list.map((r) => r.wallMs)) / 1000).toFixed(1)} s`;
  const mib = (list: Array<{ peakRssMib: number }>): string => `${median(list.map((r) => r.peakRssMib)).toFixed(0)} MiB`;
  const met = result.ratio <= 2 ? 'met' : 'MISSED';
  process.stdout.write(
    [
      `| export of the hour (${result.rows['guest_agent']?.toLocaleString('en-US')} guest rows, ${result.guestFileMib.toFixed(0)} MiB, + 4 × 3,600 sampler rows) | ${ms(result.export)}, peak RSS ${mib(result.export)} | ${result.ratio.toFixed(2)} × the floor (≤ 2 ×): ${met} |`,
      `| floor: DuckDB's plain COPY of the guest file to Parquet | ${ms(result.floor)}, peak RSS ${mib(result.floor)} | |`,
      `(${date}, ${runs} runs each, load ${machine.loadBefore.toFixed(2)} before / ${machine.loadAfter.toFixed(2)} after, ${machine.cores} cores)`,
      '',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`export bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
