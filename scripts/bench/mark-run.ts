// Markers while the guest floods (issue 16): a client sends `mark` requests at a steady rate over
// the control socket, each on a connection of its own as `vmtel mark` does, and times each from
// just before it connects to the reply. The same flood runs without marks next to it, so the
// flood's rate with and without marks is compared under the same load.
import { setTimeout as delay } from 'node:timers/promises';
import { requestControl } from '../../src/live/control-client';
import { percentile } from './stats';
import { runVmtelFlood, type FloodRun } from './flood-run';
import type { Alongside } from './guest-episode';

export interface MarkFloodRun extends FloodRun {
  marks: number;
  /** Percentiles of the marks' round trips (connect and send → reply), in ms. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Sends marks at `perSec` into `runDir` until stopped; checks every one was recorded once. */
function markingClient(runDir: string, perSec: number): Alongside & { roundTripsMs: number[] } {
  const roundTripsMs: number[] = [];
  let stopping = false;
  let failure: string | null = null;
  const intervalMs = 1000 / perSec;
  const marking = (async () => {
    const startMs = performance.now();
    for (let i = 0; !stopping; i += 1) {
      const sentNs = process.hrtime.bigint();
      try {
        await requestControl(runDir, { op: 'mark', name: 'bench', labels: { i }, client_monotonic_ns: sentNs });
      } catch (err) {
        failure ??= `mark ${i}: ${(err as Error).message}`;
        return;
      }
      roundTripsMs.push(Number(process.hrtime.bigint() - sentNs) / 1e6);
      // On a grid, so a slow reply does not lower the rate that follows.
      const nextMs = startMs + (i + 1) * intervalMs - performance.now();
      if (nextMs > 0) await delay(nextMs);
    }
  })();
  return {
    roundTripsMs,
    stop: async () => {
      stopping = true;
      await marking;
    },
    check: (vmtel) => {
      const recorded = vmtel.events().filter((e) => e.event === 'marker');
      const problems = failure === null ? [] : [failure];
      if (recorded.length !== roundTripsMs.length) problems.push(`${roundTripsMs.length} marks answered, ${recorded.length} recorded`);
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
  const sorted = Float64Array.from(client?.roundTripsMs ?? []).sort();
  if (sorted.length === 0) flood.problems.push('no mark was sent');
  return { ...flood, marks: sorted.length, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: percentile(sorted, 100) };
}
