// The alignment piece of `npm run bench` on its own (`node dist/scripts/bench/alignment-bench.js
// [--runs N]`): vmtel against the Python collector it replaced, quiet and with every core busy,
// at 2,000 and 200 rows/s, and the ratios, printed with the machine's load.
import { parseArgs } from 'node:util';
import { alignmentPeerFigures } from './alignment-figures';
import { runAlignmentPeers } from './alignment-peers';
import { describeMachine, loadNow } from './machine';
import { ensurePython } from './reference-run';
import { LOADS } from './suite';

// As the suite: five pairs keep one disturbed run from moving a median.
const DEFAULT_RUNS = 5;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: String(DEFAULT_RUNS) } } });
  ensurePython();
  const machine = describeMachine();
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  const pairs = await runAlignmentPeers(Number(values.runs), LOADS.rowBytes, log);
  log(`machine: ${machine.cpuModel}, ${machine.cores} cores; load average ${machine.loadBefore.toFixed(2)} before, ${loadNow().toFixed(2)} after`);
  for (const f of alignmentPeerFigures(pairs)) log(`${f.met ? 'met    ' : 'MISSED '} ${f.figure}: ${f.measured} (target ${f.target}; runs ${f.runs.join(', ')})`);
  const problems = pairs.flatMap((pair) => [...pair.reference, ...pair.vmtel].flatMap((run) => run.problems));
  log(problems.length === 0 ? 'correctness: every row once, byte-exact' : `PROBLEMS: ${problems.join('; ')}`);
  if (problems.length > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
