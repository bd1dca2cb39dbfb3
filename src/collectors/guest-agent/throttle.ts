// A report that may be due often but is made at most once per interval: the first at once, later
// ones summed until the interval has passed, and what is pending when the collector ends. Bad
// lines and skipped ticks can come thousands a second; their log lines and events must not.

export class Throttle {
  private lastReportMs = -Infinity;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly report: () => void,
  ) {}

  /** Something is pending: reported now, or when the interval since the last report has passed. */
  due(): void {
    if (this.timer !== undefined) return;
    const waitMs = this.lastReportMs + this.intervalMs - performance.now();
    if (waitMs <= 0) this.fire();
    // unref'd: the collector flushes what is pending itself when it ends.
    else this.timer = setTimeout(() => this.fire(), waitMs).unref();
  }

  /** Reports what is pending now (the collector is ending). */
  flush(): void {
    clearTimeout(this.timer);
    this.fire();
  }

  private fire(): void {
    this.timer = undefined;
    this.lastReportMs = performance.now();
    this.report();
  }
}
