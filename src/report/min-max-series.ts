// A time series kept for a chart in bounded memory: values fall into at most MAX_BUCKETS buckets
// of equal width, each keeping its min, max and count; when the series outgrows them, the width
// doubles and neighbours merge. Min/max per bucket (per pixel, once drawn) keeps a single spike
// visible where an average or a decimation would hide it; a gap longer than two buckets leaves an
// empty one (the report shades every gap from its own list anyway).

// About the width in pixels of a chart on a wide screen; two buckets per pixel at most.
const MAX_BUCKETS = 2048;

/** The series as drawn: bucket start times (s on the episode's timeline), min, max, count. */
export interface MinMaxPoints {
  bucketS: number;
  tS: number[];
  min: Array<number | null>;
  max: Array<number | null>;
  count: number[];
}

export class MinMaxSeries {
  private widthNs: number;
  private readonly min = new Float64Array(MAX_BUCKETS).fill(Infinity);
  private readonly max = new Float64Array(MAX_BUCKETS).fill(-Infinity);
  private readonly counts = new Float64Array(MAX_BUCKETS);
  private used = 0;

  /** `startNs`: the timeline instant of bucket 0; `initialWidthNs`: the finest bucket. */
  constructor(
    private readonly startNs: number,
    initialWidthNs: number,
  ) {
    this.widthNs = initialWidthNs;
  }

  /** Adds `value` at `tNs`; null only counts (a row without an interval: the first). */
  add(tNs: number, value: number | null): void {
    let bucket = Math.floor((tNs - this.startNs) / this.widthNs);
    if (bucket < 0) bucket = 0;
    while (bucket >= MAX_BUCKETS) {
      this.halve();
      bucket = Math.floor((tNs - this.startNs) / this.widthNs);
    }
    if (value !== null) {
      if (value < this.min[bucket]!) this.min[bucket] = value;
      if (value > this.max[bucket]!) this.max[bucket] = value;
    }
    this.counts[bucket]! += 1;
    if (bucket >= this.used) this.used = bucket + 1;
  }

  /** Makes sure the series reaches `tNs` (so a silent end shows as empty buckets). */
  extendTo(tNs: number): void {
    while ((tNs - this.startNs) / this.widthNs >= MAX_BUCKETS) this.halve();
    this.used = Math.max(this.used, Math.min(MAX_BUCKETS, Math.ceil((tNs - this.startNs) / this.widthNs)));
  }

  get bucketNs(): number {
    return this.widthNs;
  }

  points(): MinMaxPoints {
    const points: MinMaxPoints = { bucketS: this.widthNs / 1e9, tS: [], min: [], max: [], count: [] };
    for (let i = 0; i < this.used; i++) {
      const min = this.min[i]!;
      points.tS.push((this.startNs + i * this.widthNs) / 1e9);
      points.min.push(Number.isFinite(min) ? min : null);
      points.max.push(Number.isFinite(min) ? this.max[i]! : null);
      points.count.push(this.counts[i]!);
    }
    return points;
  }

  private halve(): void {
    for (let i = 0; i < MAX_BUCKETS / 2; i++) {
      const a = 2 * i;
      const b = a + 1;
      this.min[i] = Math.min(this.min[a]!, this.min[b]!);
      this.max[i] = Math.max(this.max[a]!, this.max[b]!);
      this.counts[i] = this.counts[a]! + this.counts[b]!;
    }
    this.min.fill(Infinity, MAX_BUCKETS / 2);
    this.max.fill(-Infinity, MAX_BUCKETS / 2);
    this.counts.fill(0, MAX_BUCKETS / 2);
    this.used = Math.ceil(this.used / 2);
    this.widthNs *= 2;
  }
}
