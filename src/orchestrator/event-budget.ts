// Bounds what one collector can send to the main thread. Every event and log line crosses a
// thread and is written through at once by the main thread, so a source that floods (QEMU sending
// events without end, a module logging per input) could otherwise grow memory without bound and
// starve the thread that handles signals and rewrites the manifest. Each event name of a
// collector gets a burst and a steady rate (a token bucket), and so does the collector as a whole,
// so a flood of one event (QEMU's RTC_CHANGE without end) never crowds out its rare lifecycle
// events (qmp_connected), and many names cannot add up to a flood either. What exceeds a budget is
// not queued but counted per event name and reported once per SUMMARY_MS as one
// `events_suppressed` event.

/** Events of one name (or log lines) a collector may send at once after a quiet spell. */
export const EVENT_BURST = 200;
/** Events of one name (or log lines) per second a collector may send for as long as it likes. */
export const EVENTS_PER_S = 20;
/** Events of all names together a collector may send at once, and per second. */
export const COLLECTOR_EVENT_BURST = 1000;
export const COLLECTOR_EVENTS_PER_S = 100;
// A collector inventing names cannot grow the table without bound: names beyond these share one.
const MAX_NAMED_BUDGETS = 256;
const OTHER_NAMES = '';
/** How often suppressed events are summed up in one `events_suppressed` event. */
export const SUMMARY_MS = 1000;

/** A token bucket: `take()` says whether one more may go now. */
export class TokenBucket {
  private tokens: number;
  private refilledAtMs = performance.now();

  constructor(
    private readonly burst: number,
    private readonly perS: number,
  ) {
    this.tokens = burst;
  }

  take(): boolean {
    const nowMs = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((nowMs - this.refilledAtMs) * this.perS) / 1000);
    this.refilledAtMs = nowMs;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** What was held back since the last summary. */
export interface Suppressed {
  /** Suppressed events per event name (or budget key, when the collector gave one). */
  counts: Record<string, number>;
  /** Suppressed log lines. */
  log_lines: number;
  total: number;
}

/** One collector's budget; `report` receives each summary (at most one per SUMMARY_MS). */
export class EventBudget {
  private readonly events = new TokenBucket(COLLECTOR_EVENT_BURST, COLLECTOR_EVENTS_PER_S);
  private readonly byName = new Map<string, TokenBucket>();
  private readonly logs = new TokenBucket(EVENT_BURST, EVENTS_PER_S);
  private held: Suppressed = emptySuppressed();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly report: (suppressed: Suppressed) => void) {}

  /** Whether an event named (or keyed) `name` may be sent; if not, it is counted. */
  allowEvent(name: string): boolean {
    if (this.bucketOf(name).take() && this.events.take()) return true;
    this.held.counts[name] = (this.held.counts[name] ?? 0) + 1;
    this.hold();
    return false;
  }

  /** Whether one more log line may be sent; if not, it is counted. */
  allowLog(): boolean {
    if (this.logs.take()) return true;
    this.held.log_lines += 1;
    this.hold();
    return false;
  }

  /** Reports what is held now (the collector ends). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.held.total === 0) return;
    const suppressed = this.held;
    this.held = emptySuppressed();
    this.report(suppressed);
  }

  private bucketOf(name: string): TokenBucket {
    const key = this.byName.has(name) || this.byName.size < MAX_NAMED_BUDGETS ? name : OTHER_NAMES;
    let bucket = this.byName.get(key);
    if (bucket === undefined) {
      bucket = new TokenBucket(EVENT_BURST, EVENTS_PER_S);
      this.byName.set(key, bucket);
    }
    return bucket;
  }

  private hold(): void {
    this.held.total += 1;
    // unref'd: a pending summary must not keep a finished thread alive; flush() sends it anyway.
    this.timer ??= setTimeout(() => this.flush(), SUMMARY_MS).unref();
  }
}

function emptySuppressed(): Suppressed {
  return { counts: {}, log_lines: 0, total: 0 };
}
