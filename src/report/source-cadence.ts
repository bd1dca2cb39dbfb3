// One source's rows seen as a cadence: the interval between consecutive rows (p50, p99, max),
// missed ticks, the gaps (no row for more than 3 intervals) and the chart series, accumulated
// row by row in bounded memory.
import { LogHistogram } from './log-histogram';
import { MinMaxSeries } from './min-max-series';

// "No row for more than 3 intervals" is a gap: two late ticks in a row happen on a busy host.
export const GAP_INTERVALS = 3;
// Gaps of a source without a configured interval are judged against its median, known only at
// the end: intervals over twice the running median are kept as candidates meanwhile.
const CANDIDATE_FACTOR = 2;
// Bounds the candidates kept (a source that is nothing but gaps): beyond it they are counted.
const MAX_CANDIDATES = 10_000;

export interface IntervalCandidate {
  startNs: number;
  endNs: number;
}

export class SourceCadence {
  readonly intervalsMs = new LogHistogram();
  readonly series: MinMaxSeries;
  rows = 0;
  missedTicks = 0;
  firstNs: number | null = null;
  lastNs: number | null = null;
  readonly candidates: IntervalCandidate[] = [];
  candidatesNotKept = 0;
  private candidateFloorMs = 0;

  /** `bucketNs`: the chart's finest bucket, shared by every series of the report. */
  constructor(
    spanStartNs: number,
    bucketNs: number,
    private readonly configuredIntervalMs: number | null,
  ) {
    this.series = new MinMaxSeries(spanStartNs, bucketNs);
    if (configuredIntervalMs !== null) this.candidateFloorMs = GAP_INTERVALS * configuredIntervalMs;
  }

  /** One row stamped `tNs`; `missedBefore` is the sampler's count of ticks it missed before it. */
  add(tNs: number, missedBefore: number): void {
    this.rows += 1;
    this.missedTicks += missedBefore;
    if (this.lastNs === null) {
      this.firstNs = tNs;
      this.series.add(tNs, null);
    } else {
      const intervalNs = tNs - this.lastNs;
      const intervalMs = intervalNs / 1e6;
      this.intervalsMs.add(intervalMs);
      this.series.add(tNs, intervalMs);
      if (intervalMs > this.candidateFloorMs) this.keepCandidate(this.lastNs, tNs);
      if (this.configuredIntervalMs === null && (this.rows & 1023) === 0) {
        this.candidateFloorMs = CANDIDATE_FACTOR * (this.intervalsMs.quantile(0.5) ?? 0);
      }
    }
    this.lastNs = tNs;
  }

  /** The interval gaps are judged against: the configured one, else the observed median. */
  intervalMs(): number | null {
    return this.configuredIntervalMs ?? this.intervalsMs.quantile(0.5);
  }

  private keepCandidate(startNs: number, endNs: number): void {
    if (this.candidates.length < MAX_CANDIDATES) this.candidates.push({ startNs, endNs });
    else this.candidatesNotKept += 1;
  }
}
