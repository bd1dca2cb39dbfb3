// Every rejected control input is counted, but a client hammering the socket with garbage must
// not become a flood of log lines and events: the first rejection is reported at once, later ones
// as one summary with counts per reason at most every REPORT_INTERVAL_MS, and what is pending
// when the episode stops.
import type { EventLog } from '../orchestrator/event-log';
import type { Logger } from '../log/logger';
import type { RejectionReason } from './control-protocol';

// Often enough to place a burst of bad requests on the timeline, rare enough to cost nothing.
const REPORT_INTERVAL_MS = 5000;

export class RejectionReport {
  private pending = new Map<RejectionReason, number>();
  private lastReportMs = -Infinity;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly events: EventLog,
    private readonly logger: Logger,
  ) {}

  rejected(reason: RejectionReason): void {
    this.pending.set(reason, (this.pending.get(reason) ?? 0) + 1);
    if (this.timer !== undefined) return;
    const waitMs = this.lastReportMs + REPORT_INTERVAL_MS - performance.now();
    if (waitMs <= 0) this.report();
    else this.timer = setTimeout(() => this.report(), waitMs).unref();
  }

  /** Reports what is pending now (the episode is stopping). */
  flush(): void {
    clearTimeout(this.timer);
    this.report();
  }

  private report(): void {
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const rejected = Object.fromEntries(this.pending);
    this.events.record('control', 'control_input_rejected', { rejected });
    this.logger.warn('control socket: rejected client input (counts since the last report)', { source: 'control', rejected });
    this.pending = new Map();
    this.lastReportMs = performance.now();
  }
}
