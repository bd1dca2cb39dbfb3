// Each collector thread proves that its event loop turns with one timer, the pulse, or with a
// sampler's tick that stands in for it (turned()). The pulse
// feeds the heartbeat slots the main thread watches (a blocked worker), and it sees vmtel's own
// freezes: a pulse that comes much later than due means this thread did not run (vmtel was
// stopped with SIGSTOP, its cgroup frozen, or it was starved of CPU), so a silence a collector
// measured over that span is vmtel's, not its source's. One pulse per thread, shared by every
// collector the thread hosts (tests host several in one thread).

/** How often the pulse beats: 1 timer wake-up a second per worker thread, well under 0.1 % CPU. */
export const PULSE_INTERVAL_MS = 1000;
// A pulse this much later than due means the thread was not running: a timer of an idle loop
// fires within milliseconds, and two busy cores still run every thread several times a second.
export const LOOP_STALL_MS = 2000;

const NS_PER_MS = 1_000_000n;
const STALL_NS = BigInt(LOOP_STALL_MS) * NS_PER_MS;
const INTERVAL_NS = BigInt(PULSE_INTERVAL_MS) * NS_PER_MS;
// A turn of the loop this long after the last pulse stands for the next one (see turned()).
const HALF_INTERVAL_NS = INTERVAL_NS / 2n;

/** A span, on the host's CLOCK_MONOTONIC (absolute ns), during which the loop did not turn. */
export interface LoopStall {
  startNs: bigint;
  endNs: bigint;
}

export interface PulseMember {
  /** Called on every pulse. */
  beat(): void;
  /** Called once per stall, on the first pulse after it. */
  stalled(stall: LoopStall): void;
}

class LoopPulse {
  private readonly members = new Set<PulseMember>();
  private timer: NodeJS.Timeout | undefined;
  private lastPulseNs = process.hrtime.bigint();
  private lastStall: LoopStall | null = null;

  join(member: PulseMember): () => void {
    this.members.add(member);
    member.beat();
    if (this.timer === undefined) {
      this.lastPulseNs = process.hrtime.bigint();
      // unref'd: the pulse must never be what keeps a finished thread alive.
      this.timer = setInterval(() => this.pulse(), PULSE_INTERVAL_MS).unref();
    }
    return () => {
      this.members.delete(member);
      if (this.members.size > 0) return;
      clearInterval(this.timer);
      this.timer = undefined;
    };
  }

  /**
   * The thread's loop turned for work of its own (a sampler's tick): when the last pulse is half
   * an interval old or more, this turn is the pulse, and the pulse's timer starts its interval
   * again. A sampler ticking once a second then wakes its thread once a second instead of twice
   * (a wake-up of an idle thread is most of what it costs); the timer still beats whenever the
   * thread's own work leaves a second without a turn.
   */
  turned(): void {
    if (this.timer === undefined || process.hrtime.bigint() - this.lastPulseNs < HALF_INTERVAL_NS) return;
    this.pulse();
    this.timer.refresh();
  }

  /**
   * How much of the last `spanNs` (ending now) this thread's loop was stalled, in ns: the last
   * stall seen, or one going on right now (the pulse is overdue: the caller runs first after it).
   * 0 when no pulse runs in this thread, and for a span shorter than a pulse's interval: called per
   * read on the guest_agent path, it reads no clock for the common short gap between reads (a
   * stall starts at the last pulse and no read happens during it, so a gap shorter than that
   * holds no stall).
   */
  stalledWithinNs(spanNs: bigint): bigint {
    if (this.timer === undefined || spanNs < INTERVAL_NS) return 0n;
    const nowNs = process.hrtime.bigint();
    const fromNs = nowNs - spanNs;
    const ongoing = nowNs - this.lastPulseNs - INTERVAL_NS >= STALL_NS ? { startNs: this.lastPulseNs, endNs: nowNs } : null;
    let stalledNs = 0n;
    for (const stall of [this.lastStall, ongoing]) {
      if (stall === null) continue;
      const overlapNs = stall.endNs - (stall.startNs > fromNs ? stall.startNs : fromNs);
      if (overlapNs > stalledNs) stalledNs = overlapNs;
    }
    return stalledNs;
  }

  private pulse(): void {
    const nowNs = process.hrtime.bigint();
    const lateNs = nowNs - this.lastPulseNs - INTERVAL_NS;
    const stall = lateNs >= STALL_NS ? { startNs: this.lastPulseNs, endNs: nowNs } : null;
    this.lastPulseNs = nowNs;
    if (stall !== null) this.lastStall = stall;
    for (const member of this.members) {
      member.beat();
      if (stall !== null) member.stalled(stall);
    }
  }
}

/** This thread's pulse. */
export const loopPulse = new LoopPulse();
