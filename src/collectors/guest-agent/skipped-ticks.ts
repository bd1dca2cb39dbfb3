// Ticks the agent skipped, counted on the guest's own clock. The agent's seq has no gap by design
// (a late tick is skipped, not caught up), so a skip shows only as a longer step of
// t_guest_mono_ns between two rows. With the agent's interval in its rows (`interval_ns`) every
// such step is counted; an agent that does not send it is measured: the median of its recent
// steps, trusted only while the steps are regular (an agent that writes in bursts has no tick).
import { MIN_INTERVAL_MS } from '../sampling/interval-option';

// The recent steps the median is taken over, and how often it is taken again: a sort per 256 rows
// costs a flood of rows without an interval a few ns a row.
const RECENT_STEPS = 31;
const MEDIAN_EVERY_ROWS = 256;
// Regular: the middle half of the recent steps within ±25 % of their median.
const REGULAR_SPREAD = 0.25;
// Steps shorter than vmtel's own shortest interval are a burst of rows, not an agent's tick.
const MIN_TICK_NS = MIN_INTERVAL_MS * 1e6;

export class SkippedTicks {
  /** The guest monotonic time of the latest row. */
  lastGuestNs: number | null = null;
  // A ring of the recent steps; `next` is where the next one goes.
  private readonly recent = new Float64Array(RECENT_STEPS);
  private next = 0;
  private rowsSinceMedian = 0;
  private observedIntervalNs: number | null = null;
  /** The interval the last count used, and where it came from. */
  intervalNs: number | null = null;
  intervalSource: 'agent' | 'observed' | null = null;

  /** One row's guest monotonic time and the interval it says (null: none); returns the ticks skipped before it. */
  row(guestNs: number, agentIntervalNs: number | null): number {
    const last = this.lastGuestNs;
    this.lastGuestNs = guestNs;
    if (last === null) return 0;
    const stepNs = guestNs - last;
    if (agentIntervalNs === null) this.noteStep(stepNs);
    const intervalNs = agentIntervalNs ?? this.observedIntervalNs;
    this.intervalNs = intervalNs;
    this.intervalSource = agentIntervalNs !== null ? 'agent' : intervalNs !== null ? 'observed' : null;
    // A row lands just after its tick, with jitter: a step of 2.1 intervals skipped one tick.
    return intervalNs === null || stepNs <= 0 ? 0 : Math.max(0, Math.round(stepNs / intervalNs) - 1);
  }

  /** A new connection may be a new agent: steps do not cross it. */
  reset(): void {
    this.lastGuestNs = null;
  }

  private noteStep(stepNs: number): void {
    this.recent[this.next] = stepNs;
    this.next = (this.next + 1) % RECENT_STEPS;
    // The ring is full by the first median (MEDIAN_EVERY_ROWS > RECENT_STEPS).
    if (++this.rowsSinceMedian < MEDIAN_EVERY_ROWS) return;
    this.rowsSinceMedian = 0;
    const sorted = this.recent.slice().sort();
    const median = sorted[Math.floor(sorted.length / 2)]!;
    const quarter = Math.floor(sorted.length / 4);
    const regular = median >= MIN_TICK_NS && sorted[quarter]! >= median * (1 - REGULAR_SPREAD) && sorted[sorted.length - 1 - quarter]! <= median * (1 + REGULAR_SPREAD);
    this.observedIntervalNs = regular ? median : null;
  }
}
