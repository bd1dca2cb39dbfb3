// Every dropped guest line is counted, but a flood of bad lines must not become a flood of log
// lines and events: the first drop is reported at once, later ones as one summary with counts per
// reason at most every DROP_REPORT_INTERVAL_MS, and what is pending when the collector ends.
import type { CollectorContext } from '../contract';
import type { DropReason } from './guest-row';
import { Throttle } from './throttle';

// Often enough to place a burst of bad rows on the timeline, rare enough to cost nothing.
const DROP_REPORT_INTERVAL_MS = 5000;
// Enough of a bad line to recognise it in a log, little enough that a hostile line cannot bloat it.
// It is logged JSON-quoted, so control characters from the guest never reach a terminal raw.
const SAMPLE_CHARS = 160;

type Reporting = Pick<CollectorContext<unknown>, 'counters' | 'log' | 'emit'>;

export class DropWarnings {
  private pending = new Map<DropReason, number>();
  private sample: string | undefined;
  private readonly throttle: Throttle;

  constructor(
    private readonly ctx: Reporting,
    intervalMs = DROP_REPORT_INTERVAL_MS,
  ) {
    this.throttle = new Throttle(intervalMs, () => this.report());
  }

  /** Counts one dropped line; `line` is a sample for the report when it was text. */
  drop(reason: DropReason, line?: string): void {
    this.ctx.counters.drop(reason);
    this.pending.set(reason, (this.pending.get(reason) ?? 0) + 1);
    if (this.sample === undefined && line !== undefined) this.sample = JSON.stringify(line.slice(0, SAMPLE_CHARS));
    this.throttle.due();
  }

  /** Reports what is pending now (the collector is ending). */
  flush(): void {
    this.throttle.flush();
  }

  private report(): void {
    if (this.pending.size === 0) return;
    const dropped = Object.fromEntries(this.pending);
    const fields = this.sample === undefined ? { dropped } : { dropped, sample: this.sample };
    this.ctx.log.warn('guest-agent: dropped lines the guest sent (counts since the last report)', fields);
    this.ctx.emit('guest_agent_rows_dropped', { dropped });
    this.pending = new Map();
    this.sample = undefined;
  }
}
