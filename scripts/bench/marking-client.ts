// The marking client of the markers benchmark, as a process of its own: `node marking-client.js
// RUN_DIR PER_SEC` sends `mark` requests at PER_SEC over RUN_DIR/control.sock, each on a
// connection of its own as `vmtel mark` does, until its stdin ends; then it prints its round trips
// as one JSON object. Run in the harness's own thread, a reply waited behind the harness's other
// work (watching vmtel's events, 5–8 ms slices under `perf sched`), and that wait was the p99.
import { setTimeout as delay } from 'node:timers/promises';
import { requestControl } from '../../src/live/control-client';

export interface MarkingResult {
  /** Each mark's round trip, from just before it connects to the reply read back, in ms. */
  roundTripsMs: number[];
  failure: string | null;
}

async function main(): Promise<void> {
  const [runDir, perSecText] = process.argv.slice(2);
  const intervalMs = 1000 / Number(perSecText);
  let stopping = false;
  process.stdin.on('end', () => (stopping = true)).resume();
  const result: MarkingResult = { roundTripsMs: [], failure: null };
  const startMs = performance.now();
  for (let i = 0; !stopping; i += 1) {
    const sentNs = process.hrtime.bigint();
    try {
      await requestControl(runDir!, { op: 'mark', name: 'bench', labels: { i }, client_monotonic_ns: sentNs });
    } catch (err) {
      result.failure = `mark ${i}: ${(err as Error).message}`;
      break;
    }
    result.roundTripsMs.push(Number(process.hrtime.bigint() - sentNs) / 1e6);
    // On a grid, so a slow reply does not lower the rate that follows.
    const nextMs = startMs + (i + 1) * intervalMs - performance.now();
    if (nextMs > 0) await delay(nextMs);
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (require.main === module) void main();
