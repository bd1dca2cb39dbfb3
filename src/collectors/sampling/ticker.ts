// The one clock every periodic collector samples on. Ticks sit on a grid anchored at the
// episode origin (tick k at t_mono_ns = k × interval), so rows of collectors with the same
// interval line up, a restarted collector rejoins the same grid, and no drift accumulates.
// A late wake-up never hides: the ticks it skipped are counted and reported on the next tick.
import { loopPulse } from '../../control/loop-pulse';
import type { CollectorContext } from '../contract';
import { StopAwareSleep } from './stop-aware-sleep';

const NS_PER_MS = 1_000_000n;

/** The figure every ticking collector reports (declare it in its `stats`). */
export const TICKER_STATS = ['missed_ticks'] as const;

export interface Tick {
  /** k: this tick is scheduled at origin + k × interval. */
  index: number;
  /** Scheduled time of this tick on the episode timeline (t_mono_ns). */
  scheduledMonoNs: bigint;
  /** Ticks that could not run on time since the previous one (0 normally). */
  missedBefore: number;
}

export type TickerContext = Pick<CollectorContext<unknown>, 'clock' | 'stopSignal' | 'counters'>;

/**
 * Yields one tick per interval at origin + k × interval (no accumulating drift); returns at once
 * when ctx.stopSignal aborts. Missed ticks are counted in ctx.counters ('missed_ticks') and
 * reported on the next tick, never silently skipped.
 */
export async function* ticks(ctx: TickerContext, intervalMs: number): AsyncIterable<Tick> {
  const intervalNs = BigInt(Math.round(intervalMs)) * NS_PER_MS;
  let index = firstIndexAtOrAfter(ctx.clock.monoNs(), intervalNs);
  let missedBefore = 0;
  const sleep = new StopAwareSleep(ctx.stopSignal);
  try {
    for (;;) {
      const scheduledMonoNs = index * intervalNs;
      if (!(await sleepUntil(ctx, sleep, scheduledMonoNs))) return;
      // This wake-up is the thread's heartbeat too: no second timer wakes it for the pulse.
      loopPulse.turned();
      // Woken after the next tick was already due: jump to the latest due tick and count the rest.
      const latestDue = ctx.clock.monoNs() / intervalNs;
      if (latestDue > index) {
        const skipped = Number(latestDue - index);
        ctx.counters.add('missed_ticks', skipped);
        missedBefore += skipped;
        index = latestDue;
      }
      yield { index: Number(index), scheduledMonoNs: index * intervalNs, missedBefore };
      missedBefore = 0;
      index += 1n;
    }
  } finally {
    sleep.dispose();
  }
}

// The first k with k × interval ≥ now; a t_mono_ns before the origin starts at k = 0.
function firstIndexAtOrAfter(nowMonoNs: bigint, intervalNs: bigint): bigint {
  if (nowMonoNs <= 0n) return 0n;
  return (nowMonoNs + intervalNs - 1n) / intervalNs;
}

// Sleeps until `targetMonoNs`; false when stop was requested first. Timers have millisecond
// resolution and libuv's cached loop time can fire one a little early, so the remaining time
// is measured again after each wake-up.
async function sleepUntil(ctx: TickerContext, sleep: StopAwareSleep, targetMonoNs: bigint): Promise<boolean> {
  for (;;) {
    if (ctx.stopSignal.aborted) return false;
    const remainingNs = targetMonoNs - ctx.clock.monoNs();
    if (remainingNs <= 0n) return true;
    await sleep.sleep(Math.ceil(Number(remainingNs) / 1e6));
  }
}

/** The fields every sampled row starts with: which tick it is and how many ticks ran late before it. */
export function tickFields(tick: Tick): { tick: number; missed_before: number } {
  return { tick: tick.index, missed_before: tick.missedBefore };
}
