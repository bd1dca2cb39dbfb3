// `node dist/scripts/bench/run-export.js [--runs N]`: the export benchmark alone (it takes both
// cores for several minutes; `npm run bench` runs it after the suite). Writes its figures into
// docs/benchmarks.md and its raw runs into docs/benchmarks/export.json.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { withBenchDir } from './bench-dir';
import { DEFAULT_EXPORT_RUNS, runExportBench } from './export-bench';
import { writeExportReport } from './export-report';
import { describeMachine, loadNow } from './machine';

const ROOT = join(__dirname, '..', '..', '..');

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: String(DEFAULT_EXPORT_RUNS) } } });
  const runs = Number(values.runs);
  const machine = describeMachine();
  const result = await withBenchDir((dir) => runExportBench(dir, runs, (line) => process.stdout.write(`${line}\n`)));
  machine.loadAfter = loadNow();
  const date = new Date().toISOString().replace(/\.\d+Z$/, ' UTC').replace('T', ' ');
  const command = `node dist/scripts/bench/run-export.js${runs === DEFAULT_EXPORT_RUNS ? '' : ` --runs ${runs}`}`;
  const section = writeExportReport(join(ROOT, 'docs', 'benchmarks.md'), join(ROOT, 'docs', 'benchmarks', 'export.json'), { date, command, runs, machine, result });
  process.stdout.write(section);
}

main().catch((err: unknown) => {
  process.stderr.write(`export bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
