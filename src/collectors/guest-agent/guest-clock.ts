// Places guest rows on the host's timeline, one connection at a time. Per row it gives
// `t_guest_host_ns`, the host instant (on the t_mono_ns timeline) at which the guest sampled the
// row: its t_guest_mono_ns plus the running envelope estimate of the guest's monotonic clock
// against the host's (clock-envelope.ts). It tracks the guest's wall clock the same way for the
// clock events, and counts the ticks the agent skipped. Per row this is a few float operations:
// it runs on the hot path, before any event, and allocates nothing but the field's text.
import { ClockEnvelope, type ClockStep } from './clock-envelope';
import { SkippedTicks } from './skipped-ticks';

const FIELD = ',"t_guest_host_ns":';
const NULL_FIELD = `${FIELD}null`;

export interface ClockEstimate {
  /** Guest wall clock − host wall clock, in ns; null when the agent sends no wall clock. */
  offset_ns: number | null;
  offset_s: number | null;
  /** How sharply the wall offset is seen (lower-envelope.ts), in ns. */
  uncertainty_ns: number | null;
  /** Guest CLOCK_MONOTONIC − host t_mono_ns, in ns: t_guest_host_ns = t_guest_mono_ns − this. */
  mono_offset_ns: number | null;
  mono_uncertainty_ns: number | null;
  /** Rows of the connection so far. */
  rows: number;
}

export interface GuestClockHandlers {
  /** The estimate is first resting on a whole envelope window (guest_agent_clock at connect). */
  established(estimate: ClockEstimate): void;
  step(clock: 'wall' | 'mono', step: ClockStep, uncertaintyNs: number | null): void;
  skipped(ticks: number): void;
}

export class GuestClock {
  private readonly mono: ClockEnvelope;
  private readonly wall: ClockEnvelope;
  readonly ticks = new SkippedTicks();
  private read = 0;
  private readNs = 0;
  private rows = 0;
  private established = false;

  /** `wallBaseNs` is the host's wall clock at t_mono_ns 0 (origin + wall offset). */
  constructor(
    private readonly wallBaseNs: bigint,
    stepThresholdNs: number,
    private readonly handlers: GuestClockHandlers,
  ) {
    this.mono = new ClockEnvelope(stepThresholdNs, (step) => handlers.step('mono', step, this.mono.uncertaintyNs()));
    this.wall = new ClockEnvelope(stepThresholdNs, (step) => handlers.step('wall', step, this.wall.uncertaintyNs()));
  }

  /** A socket read at `tMonoNs`: the rows that follow, until the next call, were read then. */
  begin(tMonoNs: bigint): void {
    this.read++;
    this.readNs = Number(tMonoNs);
  }

  /** The `,"t_guest_host_ns":…` member of a row whose parsed object is `value`. */
  field(value: object): string {
    const row = value as { t_guest_mono_ns?: unknown; t_guest_wall_ns?: unknown; interval_ns?: unknown };
    const guestNs = row.t_guest_mono_ns;
    if (typeof guestNs !== 'number' || !Number.isFinite(guestNs)) return NULL_FIELD;
    this.rows++;
    const intervalNs = row.interval_ns;
    const skipped = this.ticks.row(guestNs, typeof intervalNs === 'number' && intervalNs > 0 ? intervalNs : null);
    if (skipped > 0) this.handlers.skipped(skipped);
    const lagNs = this.mono.observe(guestNs, this.readNs - guestNs, this.read, this.readNs);
    const guestWallNs = row.t_guest_wall_ns;
    if (typeof guestWallNs === 'number' && Number.isFinite(guestWallNs)) {
      // Doubles near 1.7e18 step by 256 ns: the wall offset is good to that, far below its delay.
      this.wall.observe(guestNs, this.readNs - (guestWallNs - Number(this.wallBaseNs)), this.read, this.readNs);
    }
    if (!this.established && this.mono.windows > 0) {
      this.established = true;
      this.handlers.established(this.estimate(guestNs));
    }
    return FIELD + Math.round(guestNs + lagNs);
  }

  /** The estimate at the guest's monotonic time `guestNs` (the latest row's, by default). */
  estimate(guestNs = this.lastGuestNs()): ClockEstimate {
    const wallLag = guestNs === null ? null : this.wall.lagAt(guestNs);
    const monoLag = guestNs === null ? null : this.mono.lagAt(guestNs);
    const offsetNs = wallLag === null ? null : -Math.round(wallLag);
    return {
      offset_ns: offsetNs,
      offset_s: offsetNs === null ? null : offsetNs / 1e9,
      uncertainty_ns: roundOrNull(this.wall.uncertaintyNs()),
      mono_offset_ns: monoLag === null ? null : -Math.round(monoLag),
      mono_uncertainty_ns: roundOrNull(this.mono.uncertaintyNs()),
      rows: this.rows,
    };
  }

  /** How fast the guest's clocks gain on the host's over the connection, in ppm (null: too short). */
  driftPpm(): { drift_ppm: number | null; mono_drift_ppm: number | null } {
    return { drift_ppm: ppm(this.wall.slope()), mono_drift_ppm: ppm(this.mono.slope()) };
  }

  private lastGuestNs(): number | null {
    return this.ticks.lastGuestNs;
  }
}

// A lag that grows by s ns per ns is a guest clock losing s: it gains −s.
function ppm(lagSlope: number | null): number | null {
  return lagSlope === null ? null : Math.round(-lagSlope * 1e6 * 1000) / 1000;
}

function roundOrNull(ns: number | null): number | null {
  return ns === null ? null : Math.round(ns);
}
