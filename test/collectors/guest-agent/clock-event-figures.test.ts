// The figures of the guest clock's events and log lines, through a recording collector context
// (the other side of the collector's boundary): a step's size in ns and s with its sign, the skip
// summary's interval in ms, the wall offset in s, and the end estimate only for a connection that
// carried rows. (clock-events.test.ts holds the same events' fields to the docs on a real socket.)
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { clockEvents } from '../../../src/collectors/guest-agent/clock-events';
import type { ClockEstimate, GuestClock } from '../../../src/collectors/guest-agent/guest-clock';

const ESTIMATE: ClockEstimate = { offset_ns: 42_000_000_000, offset_s: 42, uncertainty_ns: 900, mono_offset_ns: 5, mono_uncertainty_ns: 800, rows: 0 };

function recorded(t: TestContext, rows: number) {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const lines: string[] = [];
  const events: Array<[string, unknown]> = [];
  const ctx = {
    counters: { add: () => undefined },
    log: { warn: (message: string) => lines.push(message), info: (message: string) => lines.push(message) },
    emit: (name: string, fields: unknown) => events.push([name, fields]),
  };
  // Only what the events read of the clock.
  const clock = {
    ticks: { intervalNs: 50_000_000n, intervalSource: 'agent' },
    finish: () => undefined,
    estimate: () => ({ ...ESTIMATE, rows }),
    driftPpm: () => ({ drift_ppm: 1.5, mono_drift_ppm: -0.5 }),
  } as unknown as GuestClock;
  const handlers = clockEvents(ctx as unknown as Parameters<typeof clockEvents>[0], () => clock);
  return { handlers, clock, lines, events };
}

test('a step of the guest clock: its size in ns and s, signed as the guest moved', (t) => {
  const { handlers, clock, lines, events } = recorded(t, 0);
  // Lags (host − guest): the guest was 42 s ahead, then 41 s: it stepped back by one second.
  handlers.step('wall', { beforeNs: -42_000_000_000, afterNs: -41_000_000_000, firstReadNs: 5_000_000_000.4 } as never, 1234.6);
  assert.deepEqual(events, [
    ['guest_agent_clock_step', { clock: 'wall', before_ns: 42_000_000_000, after_ns: 41_000_000_000, step_ns: -1_000_000_000, step_s: -1, uncertainty_ns: 1235, since_t_mono_ns: 5_000_000_000 }],
  ]);
  assert.deepEqual(lines, ["guest-agent: the guest's wall clock stepped by -1.000 s against the host's"]);
  handlers.end(clock);
  assert.equal(events.length, 1, 'no end estimate for a connection without rows');
});

test('skipped ticks: the first report at once, later ones summed until the end, the interval in ms; the estimate at connect and at the end', (t) => {
  const { handlers, clock, lines, events } = recorded(t, 7);
  handlers.established({ ...ESTIMATE, rows: 7 });
  handlers.skipped(2);
  handlers.skipped(3);
  handlers.skipped(4);
  handlers.end(clock);
  assert.deepEqual(lines, ["guest-agent: guest wall clock is 42.000 s off the host's", 'guest-agent: the agent skipped 2 ticks of 50.0 ms', 'guest-agent: the agent skipped 7 ticks of 50.0 ms']);
  assert.deepEqual(events, [
    ['guest_agent_clock', { phase: 'connect', ...ESTIMATE, rows: 7, drift_ppm: null, mono_drift_ppm: null }],
    ['guest_agent_ticks_skipped', { skipped: 2, interval_ns: 50_000_000n, interval_source: 'agent' }],
    ['guest_agent_ticks_skipped', { skipped: 7, interval_ns: 50_000_000n, interval_source: 'agent' }],
    ['guest_agent_clock', { phase: 'end', ...ESTIMATE, rows: 7, drift_ppm: 1.5, mono_drift_ppm: -0.5 }],
  ]);
});
