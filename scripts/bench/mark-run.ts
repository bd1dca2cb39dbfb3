// Markers while the guest floods (issue 16): a client, a process of its own, sends `mark` requests
// at a steady rate over the control socket, each on a connection of its own as `vmtel mark` does,
// and times each from just before it connects to the reply. The same flood runs without marks next to it, so the
// flood's rate with and without marks is compared under the same load.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { withDeadline } from '../../test/helpers/wait-for';
import type { MarkingResult } from './marking-client';
import { percentile } from './stats';
import { runVmtelFlood, type FloodRun } from './flood-run';
import type { Alongside } from './guest-episode';

const MARKING_CLIENT = join(__dirname, 'marking-client.js');

export interface MarkFloodRun extends FloodRun {
  marks: number;
  /** Percentiles of the marks' round trips (connect and send → reply), in ms. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * Sends marks at `perSec` into `runDir` from a process of its own (marking-client.ts) until
 * stopped; checks every one was recorded once.
 */
function markingClient(runDir: string, perSec: number): Alongside & { result: () => MarkingResult } {
  const child = spawn(process.execPath, [MARKING_CLIENT, runDir, String(perSec)], { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit');
  let result: MarkingResult = { roundTripsMs: [], failure: 'the marking client did not report' };
  return {
    result: () => result,
    stop: async () => {
      child.stdin.end();
      await withDeadline('the marking client to exit', exited, 10_000);
      if (output !== '') result = JSON.parse(output) as MarkingResult;
    },
    check: (vmtel) => {
      const recorded = vmtel.events().filter((e) => e.event === 'marker');
      const problems = result.failure === null ? [] : [result.failure];
      if (recorded.length !== result.roundTripsMs.length) problems.push(`${result.roundTripsMs.length} marks answered, ${recorded.length} recorded`);
      return problems;
    },
  };
}

/** The flood and the same flood with marks, `runs` times each, in turns. */
export async function runMarkComparison(runs: number, load: { rows: number; rowBytes: number; marksPerSec: number }, log: (line: string) => void): Promise<MarkComparison> {
  const results: MarkComparison = { without: [], with: [] };
  for (let i = 0; i < runs; i += 1) {
    results.without.push(await runVmtelFlood(load.rows, load.rowBytes));
    log(`flood without marks ${i + 1}/${runs}: ${JSON.stringify(results.without.at(-1))}`);
    results.with.push(await runMarkFlood(load.rows, load.rowBytes, load.marksPerSec));
    log(`flood with ${load.marksPerSec} marks/s ${i + 1}/${runs}: ${JSON.stringify(results.with.at(-1))}`);
  }
  return results;
}

export interface MarkComparison {
  without: FloodRun[];
  with: MarkFloodRun[];
}

/** The flood with a marking client beside it. */
export async function runMarkFlood(rows: number, rowBytes: number, marksPerSec: number): Promise<MarkFloodRun> {
  let client: ReturnType<typeof markingClient> | undefined;
  const flood = await runVmtelFlood(rows, rowBytes, { alongside: (runDir) => (client = markingClient(runDir, marksPerSec)) });
  const sorted = Float64Array.from(client?.result().roundTripsMs ?? []).sort();
  if (sorted.length === 0) flood.problems.push('no mark was sent');
  return { ...flood, marks: sorted.length, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: percentile(sorted, 100) };
}
