// Issue 20's alignment comparison: vmtel and the Python collector it replaced, in alternating
// runs (reference, vmtel, reference, vmtel…) under the same load generator, at two rates, on the
// machine as it is and with a busy loop on every core for the whole condition.
import { runAlignment, type AlignmentRun } from './alignment-run';
import { withBusyLoops } from './busy-loops';
import { runReferenceAlignment, type ReferenceRun } from './reference-run';

export interface AlignmentCondition {
  ratePerSec: number;
  seconds: number;
  loaded: boolean;
}

export interface AlignmentPair {
  condition: AlignmentCondition;
  reference: ReferenceRun[];
  vmtel: AlignmentRun[];
}

// Ten thousand rows at 2,000 rows/s and two thousand at 200 rows/s: a p99 rests on 100 and on
// 20 rows, and a pair of runs stays under half a minute.
export const ALIGNMENT_CONDITIONS: readonly AlignmentCondition[] = [
  { ratePerSec: 2000, seconds: 5, loaded: false },
  { ratePerSec: 2000, seconds: 5, loaded: true },
  { ratePerSec: 200, seconds: 10, loaded: false },
  { ratePerSec: 200, seconds: 10, loaded: true },
];

/** How a condition is named in logs and figures. */
export function conditionName({ ratePerSec, loaded }: AlignmentCondition): string {
  return `${ratePerSec.toLocaleString('en-US')} rows/s, ${loaded ? 'every core busy' : 'quiet'}`;
}

/** `pairs` alternating runs of the reference and vmtel in every condition. */
export async function runAlignmentPeers(pairs: number, rowBytes: number, log: (line: string) => void): Promise<AlignmentPair[]> {
  const results: AlignmentPair[] = [];
  for (const condition of ALIGNMENT_CONDITIONS) {
    const { ratePerSec, seconds } = condition;
    const pair: AlignmentPair = { condition, reference: [], vmtel: [] };
    const runPairs = async (): Promise<void> => {
      for (let i = 0; i < pairs; i++) {
        const what = `alignment ${conditionName(condition)}, pair ${i + 1}/${pairs}`;
        pair.reference.push(await runReferenceAlignment(ratePerSec, seconds, rowBytes));
        log(`${what}, reference: ${JSON.stringify(pair.reference.at(-1))}`);
        pair.vmtel.push(await runAlignment(ratePerSec, seconds, rowBytes));
        log(`${what}, vmtel: ${JSON.stringify(pair.vmtel.at(-1))}`);
      }
    };
    await (condition.loaded ? withBusyLoops(runPairs) : runPairs());
    results.push(pair);
  }
  return results;
}
