// The loop every periodic collector runs: on each tick, take one sample stamped with the time it
// was taken, and write it as one row led by the tick fields. Collectors supply only the sample,
// so ticking, stamping, stopping and the row head are the same everywhere.
import type { CollectorContext, CollectorOutcome } from '../contract';
import { tickFields, ticks, type Tick } from './ticker';

/** One tick's result: a row's fields, nothing this tick (null), or the collector's end. */
export type Sample = { fields: Record<string, unknown> } | { outcome: CollectorOutcome } | null;

export type SampleLoopContext = Pick<CollectorContext<unknown>, 'clock' | 'stopSignal' | 'counters' | 'rows'>;

/** What a sampler holds open between ticks (files kept open): closed when the loop ends. */
export interface HeldOpen {
  close(): void;
}

/**
 * Samples on every tick until stop (reason `stopped`) or until `sample` returns an outcome, then
 * closes `held`: a worker's fds belong to the process and would outlive a restarted collector.
 */
export async function sampleEveryTick(
  ctx: SampleLoopContext,
  intervalMs: number,
  sample: (tick: Tick) => Sample,
  held: HeldOpen = { close: () => undefined },
): Promise<CollectorOutcome> {
  try {
    for await (const tick of ticks(ctx, intervalMs)) {
      // Stamped when the sample is taken, not when it was scheduled: the row says when it was true.
      const tMonoNs = ctx.clock.monoNs();
      const result = sample(tick);
      if (result === null) continue;
      if ('outcome' in result) return result.outcome;
      ctx.rows.write({ ...tickFields(tick), ...result.fields }, tMonoNs);
    }
    return { reason: 'stopped' };
  } finally {
    held.close();
  }
}
