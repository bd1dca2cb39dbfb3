// What the guest's clocks do, said in events.jsonl: the estimate once it rests on a window of rows
// (guest_agent_clock, phase "connect"), every step of a guest clock (guest_agent_clock_step), the
// estimate and drift when the connection ends (guest_agent_clock, phase "end"), and the ticks the
// agent skipped (guest_agent_ticks_skipped, summed, at most every SKIP_REPORT_INTERVAL_MS). The
// fields are named apart from the event's own head (t_mono_ns, t_wall_ns, source, event).
import type { CollectorContext } from '../contract';
import type { GuestClock, GuestClockHandlers } from './guest-clock';
import { PacedCounts } from '../../log/paced-counts';

// As often as dropped lines are reported: a burst of skips placed on the timeline, no flood.
const SKIP_REPORT_INTERVAL_MS = 5000;

type Reporting = Pick<CollectorContext<unknown>, 'counters' | 'log' | 'emit'>;

export interface ClockEvents extends GuestClockHandlers {
  /** The connection ended: the pending skips, then the final estimate with the drift. */
  end(clock: GuestClock): void;
}

export function clockEvents(ctx: Reporting, clockOf: () => GuestClock): ClockEvents {
  const skips = new PacedCounts<'skipped'>(({ skipped }) => {
    const { intervalNs, intervalSource } = clockOf().ticks;
    ctx.emit('guest_agent_ticks_skipped', { skipped, interval_ns: intervalNs, interval_source: intervalSource });
    ctx.log.warn(`guest-agent: the agent skipped ${skipped} ticks of ${(Number(intervalNs) / 1e6).toFixed(1)} ms`);
  }, SKIP_REPORT_INTERVAL_MS);
  return {
    established(estimate) {
      ctx.emit('guest_agent_clock', { phase: 'connect', ...estimate, drift_ppm: null, mono_drift_ppm: null });
      if (estimate.offset_s !== null) ctx.log.info(`guest-agent: guest wall clock is ${estimate.offset_s.toFixed(3)} s off the host's`);
    },
    step(clock, step, uncertaintyNs) {
      // Offsets are guest − host, the opposite sign of a lag (host − guest).
      const beforeNs = -Math.round(step.beforeNs);
      const afterNs = -Math.round(step.afterNs);
      const stepNs = afterNs - beforeNs;
      ctx.emit('guest_agent_clock_step', {
        clock,
        before_ns: beforeNs,
        after_ns: afterNs,
        step_ns: stepNs,
        step_s: stepNs / 1e9,
        uncertainty_ns: uncertaintyNs === null ? null : Math.round(uncertaintyNs),
        since_t_mono_ns: Math.round(step.firstReadNs),
      });
      ctx.log.warn(`guest-agent: the guest's ${clock} clock stepped by ${(stepNs / 1e9).toFixed(3)} s against the host's`);
    },
    skipped(ticks) {
      ctx.counters.add('skipped_ticks', ticks);
      skips.add('skipped', ticks);
    },
    end(clock) {
      clock.finish();
      skips.flush();
      const estimate = clock.estimate();
      if (estimate.rows > 0) ctx.emit('guest_agent_clock', { phase: 'end', ...estimate, ...clock.driftPpm() });
    },
  };
}
