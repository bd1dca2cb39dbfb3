// While a source is not there yet (QEMU still starting, a socket path that is wrong), the
// operator must see what vmtel waits for, for how long, and why the last look failed, without
// a line per attempt: a wait is reported at 1, 5, 15, 30 and 60 s, then once a minute.
import type { CollectorLog } from '../contract';

// The first line comes after a second: a source that appears at once is never reported.
const MILESTONES_S = [1, 5, 15, 30, 60];
const EVERY_S_AFTER = 60;
// Until this long a wait is ordinary (QEMU binds its sockets within seconds of starting).
const WARN_AFTER_S = 15;

/** Reports one wait for `what` through `log`; a new wait needs a new WaitReport. */
export class WaitReport {
  private readonly startMs: number;
  private nextS = MILESTONES_S[0]!;

  /** `nowMs` is the clock (a test's own, else performance.now). */
  constructor(
    private readonly log: CollectorLog,
    private readonly what: string,
    private readonly nowMs: () => number = () => performance.now(),
  ) {
    this.startMs = nowMs();
  }

  /** Seconds since the wait began. */
  get waitedS(): number {
    return (this.nowMs() - this.startMs) / 1000;
  }

  /** Another look failed because of `diagnosis`; logs a line when a milestone has passed. */
  failed(diagnosis: string): void {
    const waitedS = this.waitedS;
    if (waitedS < this.nextS) return;
    const line = `waiting for ${this.what} for ${Math.floor(waitedS)} s: ${diagnosis}`;
    if (waitedS >= WARN_AFTER_S) this.log.warn(line);
    else this.log.info(line);
    this.nextS = MILESTONES_S.find((milestoneS) => milestoneS > waitedS) ?? (Math.floor(waitedS / EVERY_S_AFTER) + 1) * EVERY_S_AFTER;
  }
}
