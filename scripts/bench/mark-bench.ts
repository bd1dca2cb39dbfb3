// The markers piece of `npm run bench` on its own (`node dist/scripts/bench/mark-bench.js
// [--runs N]`): the flood with and without 100 marks/s, in turns, and its three figures, printed
// with the machine's load (docs/benchmarks.md records them).
import { parseArgs } from 'node:util';
import { markFigures } from './figures';
import { describeMachine, loadNow } from './machine';
import { runMarkComparison } from './mark-run';
import { LOADS } from './suite';

// As the suite: five runs keep one disturbed run from moving a median.
const DEFAULT_RUNS = 5;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: String(DEFAULT_RUNS) } } });
  const machine = describeMachine();
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  const marks = await runMarkComparison(Number(values.runs), { rows: LOADS.markFloodRows, rowBytes: LOADS.rowBytes, marksPerSec: LOADS.marksPerSec }, log);
  log(`machine: ${machine.cpuModel}, ${machine.cores} cores; load average ${machine.loadBefore.toFixed(2)} before, ${loadNow().toFixed(2)} after`);
  for (const f of markFigures(marks)) log(`${f.met ? 'met    ' : 'MISSED '} ${f.figure}: ${f.measured} (target ${f.target}; runs ${f.runs.join(', ')})`);
  const problems = [...marks.without, ...marks.with].flatMap((run) => run.problems);
  log(problems.length === 0 ? 'correctness: every row once, byte-exact; every mark recorded once' : `PROBLEMS: ${problems.join('; ')}`);
  if (problems.length > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
