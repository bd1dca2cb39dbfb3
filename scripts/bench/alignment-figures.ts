// Issue 20's alignment figures: vmtel's p99 and maximum as ratios to the Python reference's, each
// the median of the ratios taken pair by pair (the two runs of a pair met the same machine).
import type { AlignmentPair } from './alignment-peers';
import { conditionName } from './alignment-peers';
import type { Figure } from './figures';
import { median } from './stats';

// vmtel replaced the reference: its stamps must be at least as close to the truth.
const MAX_RATIO = 1.0;

export function alignmentPeerFigures(pairs: readonly AlignmentPair[]): Figure[] {
  return pairs.flatMap((pair) => [ratioFigure(pair, 'p99', (r) => r.p99Us), ratioFigure(pair, 'max', (r) => r.maxUs)]);
}

function ratioFigure(pair: AlignmentPair, what: string, pick: (run: { p99Us: number; maxUs: number }) => number): Figure {
  const ratios = pair.vmtel.map((run, i) => pick(run) / pick(pair.reference[i] ?? { p99Us: NaN, maxUs: NaN }));
  const ratio = median(ratios);
  const us = (runs: ReadonlyArray<{ p99Us: number; maxUs: number }>): string => median(runs.map(pick)).toFixed(0);
  return {
    figure: `alignment ${what}, ${conditionName(pair.condition)} (vmtel ÷ Python reference, same run)`,
    measured: `${ratio.toFixed(2)} ×: vmtel ${us(pair.vmtel)} µs vs reference ${us(pair.reference)} µs`,
    target: `≤ ${MAX_RATIO.toFixed(1)} ×`,
    met: ratio <= MAX_RATIO,
    runs: ratios.map((r) => Number(r.toFixed(2))),
  };
}
