// The guest's clocks against the host timeline, row by row: the offset t_guest_mono_ns − host
// stamp of every row (the host stamp being t_guest_host_ns, the instant the guest sampled, when
// the row has it, else t_mono_ns, when vmtel read it), the least-delayed offset of each window for
// the drift fit (clock-fit.ts), every row's delay over that least-delayed one, the wall-clock
// offset t_guest_wall_ns − t_wall_ns, and the seq check.
import type { TopLevelFields } from '../run-dir';
import { findSteps, fitResidualsMs, pooledFit, stepSizeNs, stretchesBetween, type OffsetPoints } from './clock-fit';
import type { CauseSpan } from './episode-events';
import { LogHistogram } from './log-histogram';
import { MinMaxSeries } from './min-max-series';
import type { GuestClockFigures, TimeSpan } from './report-types';
import { SeqCheck } from './seq-check';

/** The row fields the guest clock reads, in this order. */
export const GUEST_FIELDS = ['t_mono_ns', 't_guest_host_ns', 't_guest_mono_ns', 't_guest_wall_ns', 't_wall_ns', 'seq'] as const;
const [MONO, GUEST_HOST, GUEST_MONO, GUEST_WALL, WALL, SEQ] = [0, 1, 2, 3, 4, 5];

export class GuestClock {
  readonly seq = new SeqCheck();
  readonly residualsMs = new LogHistogram();
  readonly offsetSeries: MinMaxSeries;
  private rows = 0;
  private sawGuestHost = false;
  // The first row's guest clock (high/low parts) and host stamp: offsets are relative to its.
  private baseHigh = 0;
  private baseLow = 0;
  private baseHostNs = 0;
  private window = -1;
  private windowOffsets: Float64Array = new Float64Array(4096);
  private windowRows = 0;
  private windowBestNs = -Infinity;
  private windowBestAtNs = 0;
  private points: OffsetPoints = { tNs: new Float64Array(1024), offsetNs: new Float64Array(1024), length: 0 };
  private wall: { first: number; last: number; min: number; max: number } | null = null;

  /**
   * `pauses`: the VM's pauses known from the events; a window that overlaps one holds rows from
   * both sides of a clock that stood still, so it enters neither the fit nor the delay figures.
   */
  constructor(
    readonly source: string,
    private readonly spanStartNs: number,
    private readonly windowNs: number,
    private readonly bucketNs: number,
    private readonly pauses: ReadonlyArray<{ startNs: number; endNs: number }>,
  ) {
    this.offsetSeries = new MinMaxSeries(spanStartNs, bucketNs);
  }

  /** Host stamp of the row in `fields` (read with GUEST_FIELDS), or null if it has none. */
  hostStampNs(fields: TopLevelFields): number | null {
    if (fields.isInteger(GUEST_HOST)) {
      this.sawGuestHost = true;
      return fields.number[GUEST_HOST]!;
    }
    return fields.isInteger(MONO) ? fields.number[MONO]! : null;
  }

  add(fields: TopLevelFields, tNs: number): void {
    if (fields.isInteger(SEQ)) this.seq.add(fields.number[SEQ]!, tNs);
    // A guest's clock of hundreds of digits reads as no number at all: such a row has no offset.
    if (fields.isInteger(GUEST_WALL) && fields.isInteger(WALL)) {
      const wallOffsetNs = fields.difference(GUEST_WALL, WALL);
      if (Number.isFinite(wallOffsetNs)) this.addWall(wallOffsetNs);
    }
    if (!fields.isInteger(GUEST_MONO) || !Number.isFinite(fields.number[GUEST_MONO]!)) return;
    if (this.rows === 0) {
      this.baseHigh = fields.high[GUEST_MONO]!;
      this.baseLow = fields.low[GUEST_MONO]!;
      this.baseHostNs = tNs;
    }
    this.rows += 1;
    const guestNs = (fields.high[GUEST_MONO]! - this.baseHigh) * 1e9 + (fields.low[GUEST_MONO]! - this.baseLow);
    const offsetNs = guestNs - (tNs - this.baseHostNs);
    this.offsetSeries.add(tNs, offsetNs / 1e6);
    const window = Math.floor((tNs - this.spanStartNs) / this.windowNs);
    if (window !== this.window) this.closeWindow(window);
    if (this.windowRows === this.windowOffsets.length) this.windowOffsets = grow(this.windowOffsets);
    this.windowOffsets[this.windowRows++] = offsetNs;
    if (offsetNs > this.windowBestNs) {
      this.windowBestNs = offsetNs;
      this.windowBestAtNs = tNs;
    }
  }

  finish(causes: readonly CauseSpan[], phases: ReadonlyArray<{ name: string } & TimeSpan>, stepThresholdNs: number, spanEndNs: number): GuestClockFigures {
    this.closeWindow(-1);
    this.offsetSeries.extendTo(spanEndNs);
    const points = this.points;
    const steps = findSteps(points, stepThresholdNs);
    const stretches = stretchesBetween(steps, points.length);
    const fit = pooledFit(points, stretches);
    const fitResiduals = new LogHistogram();
    const residualSeries = new MinMaxSeries(this.spanStartNs, this.bucketNs);
    residualSeries.extendTo(spanEndNs);
    for (const { tNs, residualMs } of fitResidualsMs(points, fit)) {
      fitResiduals.add(Math.abs(residualMs));
      residualSeries.add(tNs, residualMs);
    }
    return {
      source: this.source,
      hostStamp: this.sawGuestHost ? 't_guest_host_ns' : 't_mono_ns',
      rows: this.rows,
      drift: pick(fit),
      driftBySegment: stretches.map(([start, end]) => ({
        startS: points.tNs[start]! / 1e9,
        endS: points.tNs[end - 1]! / 1e9,
        ...pick(pooledFit(points, [[start, end]])),
      })),
      driftByPhase: phases.map((phase) => ({ phase: phase.name, startS: phase.startS, endS: phase.endS, ...pick(pooledFit(points, stretches, phase.startS * 1e9, phase.endS * 1e9)) })),
      steps: steps.map((i) => {
        const fromNs = points.tNs[i - 1]!;
        const toNs = points.tNs[i]!;
        const paused = causes.some((c) => c.paused && c.endNs >= fromNs && c.startNs <= toNs);
        return { fromS: fromNs / 1e9, toS: toNs / 1e9, sizeMs: stepSizeNs(points, i) / 1e6, paused, cause: paused ? 'VM paused by QMP STOP (the guest clock stood still)' : "the guest's clock jumped" };
      }),
      residualMs: { p50: this.residualsMs.quantile(0.5), p99: this.residualsMs.quantile(0.99), max: this.residualsMs.max },
      fitResidualMs: { p50: fitResiduals.quantile(0.5), p99: fitResiduals.quantile(0.99) },
      wallOffset: this.wall === null ? null : {
        firstNs: BigInt(this.wall.first),
        lastNs: BigInt(this.wall.last),
        minNs: BigInt(this.wall.min),
        maxNs: BigInt(this.wall.max),
        changeNs: BigInt(this.wall.last) - BigInt(this.wall.first),
      },
      seq: { rowsWithSeq: this.seq.rowsWithSeq, missing: this.seq.missing, duplicates: this.seq.duplicates, resets: this.seq.resets, holes: this.seq.holes },
      offsetPoints: {
        tS: Array.from(points.tNs.subarray(0, points.length), (t) => t / 1e9),
        offsetMs: Array.from(points.offsetNs.subarray(0, points.length), (o) => o / 1e6),
      },
      fittedLines: fit.ppm === null ? [] : fit.centres.map(({ stretch, tMeanS, offsetMeanUs }) => {
        const ends = [points.tNs[stretch[0]]! / 1e9, points.tNs[stretch[1] - 1]! / 1e9] as [number, number];
        return { tS: ends, offsetMs: ends.map((t) => (offsetMeanUs + fit.ppm! * (t - tMeanS)) / 1e3) as [number, number] };
      }),
      offset: this.offsetSeries.points(),
      fitResidual: residualSeries.points(),
    };
  }

  private addWall(offsetNs: number): void {
    if (this.wall === null) this.wall = { first: offsetNs, last: offsetNs, min: offsetNs, max: offsetNs };
    else {
      this.wall.last = offsetNs;
      if (offsetNs < this.wall.min) this.wall.min = offsetNs;
      if (offsetNs > this.wall.max) this.wall.max = offsetNs;
    }
  }

  // Ends the current window: its least-delayed offset becomes a fit point, and every row's delay
  // over it a residual.
  private closeWindow(next: number): void {
    const startNs = this.spanStartNs + this.window * this.windowNs;
    const overPause = this.pauses.some((p) => p.startNs < startNs + this.windowNs && p.endNs >= startNs);
    if (this.windowRows > 0 && !overPause) {
      for (let i = 0; i < this.windowRows; i++) this.residualsMs.add((this.windowBestNs - this.windowOffsets[i]!) / 1e6);
      const p = this.points;
      if (p.length === p.tNs.length) this.points = { tNs: grow(p.tNs), offsetNs: grow(p.offsetNs), length: p.length };
      this.points.tNs[this.points.length] = this.windowBestAtNs;
      this.points.offsetNs[this.points.length] = this.windowBestNs;
      this.points.length += 1;
    }
    this.window = next;
    this.windowRows = 0;
    this.windowBestNs = -Infinity;
  }
}

function pick(fit: { ppm: number | null; sePpm: number | null; points: number }) {
  return { ppm: fit.ppm, sePpm: fit.sePpm, points: fit.points };
}

function grow(values: Float64Array): Float64Array<ArrayBuffer> {
  const bigger = new Float64Array(values.length * 2);
  bigger.set(values);
  return bigger;
}
