// One run's alignment errors summed up the same way for vmtel and its peers: nearest-rank
// percentiles, and when the worst row was sent, which tells a start-up stall (the first second)
// from one in the steady state.
import { percentile } from './stats';

export interface AlignmentSummary {
  rows: number;
  p50Us: number;
  p99Us: number;
  maxUs: number;
  /** When the worst-aligned row was due, in ms after the first: its place in the file ÷ the rate. */
  maxAtMs: number;
}

/** `alignmentNs` in file order (seq order, one row every 1/ratePerSec s). */
export function alignmentSummary(alignmentNs: Float64Array, ratePerSec: number): AlignmentSummary {
  let worst = 0;
  for (let i = 1; i < alignmentNs.length; i++) if (alignmentNs[i]! > alignmentNs[worst]!) worst = i;
  const sorted = alignmentNs.slice().sort();
  return {
    rows: sorted.length,
    p50Us: percentile(sorted, 50) / 1e3,
    p99Us: percentile(sorted, 99) / 1e3,
    maxUs: percentile(sorted, 100) / 1e3,
    maxAtMs: (worst / ratePerSec) * 1000,
  };
}
