// `npm run bench`: the whole suite against the built CLI, then the figures into
// docs/benchmarks.md and the raw runs into docs/benchmarks/results.json. Takes about half an hour
// on a 2-core machine; `--runs N` and `--idle-runs N` trade time for confidence.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { withBenchDir } from './bench-dir';
import { buildCRawReader } from './c-raw-reader';
import { ensureCollectd } from './collectd-peer';
import { ensureCommand } from './ensure-command';
import { DEFAULT_EXPORT_RUNS, runExportBench } from './export-bench';
import { writeExportReport } from './export-report';
import { computeFigures } from './figures';
import { describeMachine, loadNow } from './machine';
import { ensurePython } from './reference-run';
import { writeResultsJson, writeResultsSection } from './report';
import { buildStartFloors } from './start-floors';
import { runSuite } from './suite';

const ROOT = join(__dirname, '..', '..', '..');
// Five runs a figure keep one disturbed run from moving a median, and the suite near 5 minutes.
const DEFAULT_RUNS = 5;
// An idle run takes about 35 s and the idle figure sits close to its target on a noisy VM: five
// runs of each of the two idle episodes keep one disturbed run from deciding it.
const DEFAULT_IDLE_RUNS = 5;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { runs: { type: 'string', default: String(DEFAULT_RUNS) }, 'idle-runs': { type: 'string', default: String(DEFAULT_IDLE_RUNS) } },
  });
  const runs = Number(values.runs);
  const idleRuns = Number(values['idle-runs']);
  // The throughput baseline's tool; the C compiler is asked for when the C raw reader is built.
  ensureCommand('socat', ['-V'], 'socat');
  // The alignment peer: the Python collector vmtel replaced.
  ensurePython();
  // The idle figures' peer (collectd-peer.ts).
  ensureCollectd();
  const machine = describeMachine();
  const startedMs = performance.now();
  const date = new Date().toISOString().replace(/\.\d+Z$/, ' UTC').replace('T', ' ');
  const raw = await withBenchDir(async (dir) =>
    runSuite(runs, idleRuns, buildCRawReader(dir), await buildStartFloors(dir), (line) => process.stdout.write(`${line}\n`), dir),
  );
  machine.loadAfter = loadNow();
  const figures = computeFigures(raw);
  const command = runs === DEFAULT_RUNS && idleRuns === DEFAULT_IDLE_RUNS ? 'npm run bench' : `npm run bench -- --runs ${runs} --idle-runs ${idleRuns}`;
  const results = { date, command, runs, idleRuns, durationS: (performance.now() - startedMs) / 1000, machine, figures, raw };
  writeResultsJson(join(ROOT, 'docs', 'benchmarks', 'results.json'), results);
  writeResultsSection(join(ROOT, 'docs', 'benchmarks.md'), results, 'benchmarks/results.json');
  for (const f of figures) process.stdout.write(`${f.met ? 'met    ' : 'MISSED '} ${f.figure}: ${f.measured} (target ${f.target})\n`);
  // The export of an hour-long episode (issue 18), after the suite so neither disturbs the other.
  const exportMachine = describeMachine();
  const exported = await withBenchDir((dir) => runExportBench(dir, DEFAULT_EXPORT_RUNS, (line) => process.stdout.write(`${line}\n`)));
  exportMachine.loadAfter = loadNow();
  const exportReport = { date, command, runs: DEFAULT_EXPORT_RUNS, machine: exportMachine, result: exported };
  process.stdout.write(writeExportReport(join(ROOT, 'docs', 'benchmarks.md'), join(ROOT, 'docs', 'benchmarks', 'export.json'), exportReport));
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
