// A running estimate of one guest clock against the host's, from the rows' lag: host read time
// minus guest clock. Delivery delay only adds to a lag, so the least-delayed rows carry the truth:
// each ENVELOPE_WINDOW_NS of guest time keeps its least lag, and the lower envelope of the last
// FIT_WINDOWS of those (lower-envelope.ts) follows the guest's drift. A lag that leaves the
// estimate by more than the threshold in CONFIRM_READS socket reads running is a
// step of the guest clock (a pause, a migration, an NTP jump): the estimate starts over from it.
// Rows completed by one read never confirm each other, since a host that read late (vmtel
// stalled under load) delays all of them at once, while a step moves every later row.
import { lagAt, lowerEnvelope, type EnvelopeLine } from './lower-envelope';

// Two seconds of guest time: 8 rows of an agent at 0.25 s, so a window's least-delayed row is
// close to the floor even under host load; drift over one window is a few µs.
const ENVELOPE_WINDOW_NS = 2e9;
// One minute of windows in a fit: enough to see drift, short enough to follow its changes.
const FIT_WINDOWS = 30;
// A slope from a few windows is mostly their delays: extrapolated, 2 ms of noise over 4 s is
// 500 ppm. Below 20 s of windows the segment's least lag is used (a drift of 50 ppm costs 1 ms).
const MIN_FIT_WINDOWS = 10;
// A late read or two cannot make a step; three reads that agree can (a step is seen two ticks
// late). Two were fooled on a starved TCG guest, whose agent was held between reading its clock
// and writing the row for longer than the threshold, two rows running.
const CONFIRM_READS = 3;

export interface ClockEnvelopeHandlers {
  /** A step is confirmed; the estimate is still the one before it. */
  stepSeen(): void;
  /** The step, said once the estimate after it rests on a window (or the connection ends). */
  step(step: ClockStep): void;
}

export interface ClockStep {
  /** The lag the estimate gave before the step, and the one it rests on after, in ns. */
  beforeNs: number;
  afterNs: number;
  /** Guest time of the first row on the new lag. */
  firstGuestNs: number;
  /** Host read time (t_mono_ns) of that row. */
  firstReadNs: number;
}

interface Pending {
  sign: number;
  reads: number;
  lastRead: number;
  leastLagNs: number;
  firstGuestNs: number;
  firstReadNs: number;
  lags: number[];
}

/** Running fit of one clock; statistics of the connection it belongs to accumulate across steps. */
export class ClockEnvelope {
  private xs: number[] = [];
  private ys: number[] = [];
  private line: EnvelopeLine | null = null;
  private windowStartNs = 0;
  private windowLeastLagNs = Infinity;
  private windowLeastGuestNs = 0;
  private leastLagNs = Infinity;
  private secondLeastLagNs = Infinity;
  private pending: Pending | null = null;
  /** Windows closed over the connection, every segment included. */
  windows = 0;
  // Every window of the segment, for the drift over the connection, and each ended segment's
  // slope and span (the steps between segments are no drift).
  private segmentXs: number[] = [];
  private segmentYs: number[] = [];
  private readonly endedSegments: Array<{ slope: number; spanNs: number }> = [];

  // A step confirmed, said once the estimate after it rests on a window of its own (the rows
  // right after a step are often the most delayed: a resumed guest catches up).
  private unsaid: Omit<ClockStep, 'afterNs'> | null = null;

  constructor(
    private readonly thresholdNs: number,
    private readonly handlers: ClockEnvelopeHandlers,
  ) {}

  /**
   * The estimated lag at guest time `guestNs`, or null before the first row. Before a fit, the
   * least lag of the windows a fit would hold (the last minute), so a shift below the threshold is
   * followed within that minute rather than never.
   */
  lagAt(guestNs: number): number | null {
    if (this.line !== null) return lagAt(this.line, guestNs);
    let least = this.windowLeastLagNs;
    for (const lag of this.ys) if (lag < least) least = lag;
    return least === Infinity ? null : least;
  }

  /** Says a step still waiting for its first window (the connection ends). */
  flush(): void {
    const unsaid = this.unsaid;
    if (unsaid === null) return;
    this.unsaid = null;
    this.handlers.step({ ...unsaid, afterNs: this.lagAt(unsaid.firstGuestNs)! });
  }

  /**
   * The lag to place a row by: the estimate, or the row's own lag when that is less (a row cannot
   * have been sampled after it was read), or, for a row that agrees with a step already seen in an
   * earlier read, the step's lag: that row confirms it. (The first row after a step is placed by
   * the estimate before it: it cannot be told from a late row until later reads agree.)
   */
  rowLag(guestNs: number, rowLagNs: number, read: number): number {
    const estimate = this.lagAt(guestNs);
    if (estimate === null) return rowLagNs;
    const pending = this.pending;
    const deviation = rowLagNs - estimate;
    if (pending !== null && read !== pending.lastRead && Math.sign(deviation) === pending.sign && Math.abs(deviation) > this.thresholdNs) {
      return Math.min(pending.leastLagNs, rowLagNs);
    }
    return estimate < rowLagNs ? estimate : rowLagNs;
  }

  /** One row: guest clock `guestNs` read by the host at `readNs` (t_mono_ns) in socket read number `read`. */
  observe(guestNs: number, lagNs: number, read: number, readNs: number): void {
    const estimate = this.lagAt(guestNs);
    if (estimate === null) {
      this.startSegment(guestNs, [lagNs]);
      return;
    }
    const deviation = lagNs - estimate;
    // A lag below the estimate is a step only once the envelope rests on windows: before that the
    // first rows' delivery delay (a row held while nothing was connected) is still in it.
    if (deviation > this.thresholdNs || (deviation < -this.thresholdNs && this.line !== null)) {
      this.stepConfirmed(Math.sign(deviation), guestNs, lagNs, read, readNs);
      return;
    }
    this.pending = null;
    this.addToWindow(guestNs, lagNs);
  }

  /** How sharply the estimate is defined: the gap from its best evidence to the next best, in ns. */
  uncertaintyNs(): number | null {
    if (this.line !== null) return this.line.nextResidualNs;
    return this.secondLeastLagNs === Infinity ? null : this.secondLeastLagNs - this.leastLagNs;
  }

  /** d(lag)/d(guest time) over the connection (steps removed), or null with too few windows. */
  slope(): number | null {
    if (this.windows < MIN_FIT_WINDOWS) return null;
    const segments = [...this.endedSegments, this.segmentSlope()].filter((s) => s !== null);
    const spanNs = segments.reduce((sum, s) => sum + s.spanNs, 0);
    return spanNs > 0 ? segments.reduce((sum, s) => sum + s.slope * s.spanNs, 0) / spanNs : null;
  }

  // The envelope's slope over the whole segment, weighted by its span in the connection's drift.
  private segmentSlope(): { slope: number; spanNs: number } | null {
    const line = lowerEnvelope(this.segmentXs, this.segmentYs);
    return line === null ? null : { slope: line.slope, spanNs: this.segmentXs.at(-1)! - this.segmentXs[0]! };
  }

  private stepConfirmed(sign: number, guestNs: number, lagNs: number, read: number, readNs: number): void {
    const pending = this.pending;
    if (pending === null || pending.sign !== sign) {
      this.pending = { sign, reads: 1, lastRead: read, leastLagNs: lagNs, firstGuestNs: guestNs, firstReadNs: readNs, lags: [lagNs] };
      return;
    }
    if (read !== pending.lastRead) pending.reads++;
    pending.lastRead = read;
    pending.lags.push(lagNs);
    if (lagNs < pending.leastLagNs) pending.leastLagNs = lagNs;
    if (pending.reads < CONFIRM_READS) return;
    // Seen before the estimate starts over, so the handler still sees the estimate before the step.
    this.flush();
    this.handlers.stepSeen();
    this.unsaid = { beforeNs: this.lagAt(pending.firstGuestNs)!, firstGuestNs: pending.firstGuestNs, firstReadNs: pending.firstReadNs };
    this.startSegment(pending.firstGuestNs, pending.lags);
    this.pending = null;
  }

  private startSegment(guestNs: number, lags: readonly number[]): void {
    const ended = this.segmentSlope();
    if (ended !== null) this.endedSegments.push(ended);
    this.segmentXs = [];
    this.segmentYs = [];
    this.xs = [];
    this.ys = [];
    this.line = null;
    this.leastLagNs = Infinity;
    this.secondLeastLagNs = Infinity;
    this.windowStartNs = guestNs;
    this.windowLeastLagNs = Infinity;
    for (const lag of lags) this.addToWindow(guestNs, lag);
  }

  private addToWindow(guestNs: number, lagNs: number): void {
    if (guestNs - this.windowStartNs >= ENVELOPE_WINDOW_NS) this.closeWindow(guestNs);
    if (lagNs < this.windowLeastLagNs) {
      this.windowLeastLagNs = lagNs;
      this.windowLeastGuestNs = guestNs;
    }
    if (lagNs < this.leastLagNs) {
      this.secondLeastLagNs = this.leastLagNs;
      this.leastLagNs = lagNs;
    } else if (lagNs < this.secondLeastLagNs) this.secondLeastLagNs = lagNs;
  }

  private closeWindow(nextStartNs: number): void {
    this.xs.push(this.windowLeastGuestNs);
    this.ys.push(this.windowLeastLagNs);
    if (this.xs.length > FIT_WINDOWS) {
      this.xs.shift();
      this.ys.shift();
    }
    this.windows++;
    this.segmentXs.push(this.windowLeastGuestNs);
    this.segmentYs.push(this.windowLeastLagNs);
    if (this.xs.length >= MIN_FIT_WINDOWS) this.line = lowerEnvelope(this.xs, this.ys) ?? this.line;
    this.windowStartNs = nextStartNs;
    this.windowLeastLagNs = Infinity;
    this.flush();
  }
}
