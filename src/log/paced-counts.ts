// Counts of something that must be reported but must never become a flood of log lines and
// events (bad lines from a guest, bad requests on the control socket): the first count is
// reported at once, later ones as one summary per interval, and whatever is pending on flush().

export class PacedCounts<K extends string> {
  private pending = new Map<K, number>();
  private lastReportMs = -Infinity;
  private timer: NodeJS.Timeout | undefined;

  /** `report` gets the counts since the last report, at most once per `intervalMs`. */
  constructor(
    private readonly report: (counts: Record<K, number>) => void,
    private readonly intervalMs: number,
  ) {}

  add(key: K, n = 1): void {
    this.pending.set(key, (this.pending.get(key) ?? 0) + n);
    if (this.timer !== undefined) return;
    const waitMs = this.lastReportMs + this.intervalMs - performance.now();
    if (waitMs <= 0) this.reportPending();
    // unref'd: the owner flushes what is pending when it ends.
    else this.timer = setTimeout(() => this.reportPending(), waitMs).unref();
  }

  /** Reports what is pending now (the owner is ending). */
  flush(): void {
    clearTimeout(this.timer);
    this.reportPending();
  }

  private reportPending(): void {
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const counts = Object.fromEntries(this.pending) as Record<K, number>;
    this.pending = new Map();
    this.lastReportMs = performance.now();
    this.report(counts);
  }
}
