// Rows per second over the last five seconds, per collector: the live row counts are sampled
// once a second on the main thread, and a rate is the difference to the sample closest to five
// seconds back (or the first one, early in a run).

// The window `vmtel status` reports over: long enough to smooth a 1 s sampling grid, short
// enough to show a source that just went quiet.
export const RATE_WINDOW_S = 5;
const WINDOW_NS = BigInt(RATE_WINDOW_S) * 1_000_000_000n;

interface Sample {
  tMonoNs: bigint;
  rows: number;
}

export class RateWindow {
  private samples: Sample[] = [];

  add(tMonoNs: bigint, rows: number): void {
    this.samples.push({ tMonoNs, rows });
    // Keep one sample at or beyond the window's start, and nothing older.
    while (this.samples.length > 1 && tMonoNs - (this.samples[1]?.tMonoNs ?? tMonoNs) >= WINDOW_NS) this.samples.shift();
  }

  /** Rows per second from the window's oldest sample to (`tMonoNs`, `rows`); null without one. */
  rate(tMonoNs: bigint, rows: number): number | null {
    const oldest = this.samples[0];
    if (oldest === undefined || tMonoNs <= oldest.tMonoNs) return null;
    return (rows - oldest.rows) / (Number(tMonoNs - oldest.tMonoNs) / 1e9);
  }
}
