// Percentiles of millions of values in a few KB: values fall into buckets spaced 1 % apart on a
// log scale, so p50/p99 come back within 1 % of the exact figure whatever the episode's length,
// where keeping every value (7.2 million guest intervals) would cost tens of MB.

// 1 % wide buckets: finer than any threshold a report compares against.
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
// Values are positive figures in a unit of the caller's (ms); below a nanosecond is taken as 0.
const SMALLEST = 1e-6;
// From 1e-6 to 1e9 units at 1 % steps.
const BUCKETS = Math.ceil(Math.log(1e9 / SMALLEST) / LOG_GROWTH) + 1;

export class LogHistogram {
  private readonly counts = new Float64Array(BUCKETS + 1);
  private total = 0;
  private maximum = 0;

  add(value: number): void {
    const bucket = value < SMALLEST ? 0 : Math.min(BUCKETS, 1 + Math.floor(Math.log(value / SMALLEST) / LOG_GROWTH));
    this.counts[bucket]! += 1;
    this.total += 1;
    if (value > this.maximum) this.maximum = value;
  }

  get count(): number {
    return this.total;
  }

  get max(): number | null {
    return this.total === 0 ? null : this.maximum;
  }

  /** The q-quantile (0..1), within 1 %; null when empty. */
  quantile(q: number): number | null {
    if (this.total === 0) return null;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let bucket = 0; bucket < this.counts.length; bucket++) {
      seen += this.counts[bucket]!;
      if (seen >= rank) return bucket === 0 ? 0 : Math.min(this.maximum, SMALLEST * GROWTH ** (bucket - 0.5));
    }
    return this.maximum;
  }
}
