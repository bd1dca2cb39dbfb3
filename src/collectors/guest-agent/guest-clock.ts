// Places guest rows on the host's timeline, one connection at a time. Per row it gives
// `t_guest_host_ns`, the host instant (on the t_mono_ns timeline) at which the guest sampled the
// row: its t_guest_mono_ns plus the running envelope estimate of the guest's monotonic clock
// against the host's (clock-envelope.ts). It tracks the guest's wall clock the same way for the
// clock events, and counts the ticks the agent skipped. Rows completed by one read share its read
// time, so the read's last row has the least lag of them all: only it feeds the estimates, once
// per read. Per row there is the estimate's value, the skip check and the field's text.
import { ClockEnvelope, type ClockStep } from './clock-envelope';
import { SkippedTicks } from './skipped-ticks';


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
  // The guest clocks of the current read's last row with a monotonic clock (NaN: none yet).
  private lastGuestNs = NaN;
  private lastGuestWallNs = NaN;
  private rows = 0;
  private established = false;
  // Doubles near 1.7e18 step by 256 ns: the wall offset is good to that, far below its delay.
  private readonly wallBaseNs: number;

  /** `wallBaseNs` is the host's wall clock at t_mono_ns 0 (origin + wall offset). */
  constructor(
    wallBaseNs: bigint,
    stepThresholdNs: number,
    private readonly handlers: GuestClockHandlers,
  ) {
    this.wallBaseNs = Number(wallBaseNs);
    // A step before the first window closes: the estimate before it is the one at connect.
    const envelope = (clock: 'mono' | 'wall'): ClockEnvelope =>
      new ClockEnvelope(stepThresholdNs, {
        stepSeen: () => this.establish(this.ticks.lastGuestNs ?? 0),
        step: (step) => handlers.step(clock, step, (clock === 'mono' ? this.mono : this.wall).uncertaintyNs()),
      });
    this.mono = envelope('mono');
    this.wall = envelope('wall');
  }

  /** A socket read at `tMonoNs`: the rows that follow, until the next call, were read then. */
  begin(tMonoNs: bigint): void {
    this.read++;
    this.readNs = Number(tMonoNs);
    this.lastGuestNs = NaN;
  }

  /** The read's rows are all through field(): its least-delayed row updates the estimates. */
  endRead(): void {
    const guestNs = this.lastGuestNs;
    if (Number.isNaN(guestNs)) return;
    this.mono.observe(guestNs, this.readNs - guestNs, this.read, this.readNs);
    const guestWallNs = this.lastGuestWallNs;
    if (!Number.isNaN(guestWallNs)) this.wall.observe(guestNs, this.readNs - (guestWallNs - this.wallBaseNs), this.read, this.readNs);
    if (this.mono.windows > 0) this.establish(guestNs);
  }

  // guest_agent_clock at connect, once: the estimate at guest time `guestNs`.
  private establish(guestNs: number): void {
    if (this.established) return;
    this.established = true;
    this.handlers.established(this.estimate(guestNs));
  }

  /** The text of the `t_guest_host_ns` of a row whose parsed object is `value`: digits or null. */
  sampledAt(value: object): string {
    const row = value as { t_guest_mono_ns?: unknown; t_guest_wall_ns?: unknown; interval_ns?: unknown };
    const guestNs = row.t_guest_mono_ns;
    if (typeof guestNs !== 'number' || !Number.isFinite(guestNs)) return 'null';
    this.rows++;
    const intervalNs = row.interval_ns;
    const skipped = this.ticks.row(guestNs, typeof intervalNs === 'number' && intervalNs > 0 ? intervalNs : null);
    if (skipped > 0) this.handlers.skipped(skipped);
    this.lastGuestNs = guestNs;
    const guestWallNs = row.t_guest_wall_ns;
    this.lastGuestWallNs = typeof guestWallNs === 'number' && Number.isFinite(guestWallNs) ? guestWallNs : NaN;
    return integerText(Math.round(guestNs + this.mono.rowLag(guestNs, this.readNs - guestNs, this.read)));
  }

  /** The estimate at the guest's monotonic time `guestNs` (the latest row's, by default). */
  estimate(guestNs = this.ticks.lastGuestNs): ClockEstimate {
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

  /** The connection ended: steps still waiting for a window are said now. */
  finish(): void {
    this.mono.flush();
    this.wall.flush();
  }

  /** How fast the guest's clocks gain on the host's over the connection, in ppm (null: too short). */
  driftPpm(): { drift_ppm: number | null; mono_drift_ppm: number | null } {
    return { drift_ppm: ppm(this.wall.slope()), mono_drift_ppm: ppm(this.mono.slope()) };
  }
}

// V8 writes a double beyond 2^31 with its general algorithm, ~130 ns a row here; two small
// integers (cached, fast) and a slice take ~50. Exact for integers from 1e6 up to 2^53.
function integerText(ns: number): string {
  if (ns < 1e6 || ns > Number.MAX_SAFE_INTEGER) return String(ns);
  const millions = Math.floor(ns / 1e6);
  const rest = ns - millions * 1e6;
  return rest >= 100_000 ? `${millions}${rest}` : `${millions}${String(rest).padStart(6, '0')}`;
}

// A lag that grows by s ns per ns is a guest clock losing s: it gains −s.
function ppm(lagSlope: number | null): number | null {
  return lagSlope === null ? null : Math.round(-lagSlope * 1e6 * 1000) / 1000;
}

function roundOrNull(ns: number | null): number | null {
  return ns === null ? null : Math.round(ns);
}
