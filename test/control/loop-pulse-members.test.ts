// One pulse per thread however many members join, on mocked timers: a second member must not start
// a second interval (the pulse would beat twice a second, and the first timer would run on after
// the last member left). Real time could tell that only by counting beats against a loaded clock.
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { loopPulse, PULSE_INTERVAL_MS } from '../../src/control/loop-pulse';

test('two members share one interval: one beat each per pulse, and none once both left', () => {
  mock.timers.enable({ apis: ['setInterval'] });
  try {
    const beats = [0, 0];
    const leaveFirst = loopPulse.join({ beat: () => beats[0]!++, stalled: () => undefined });
    const leaveSecond = loopPulse.join({ beat: () => beats[1]!++, stalled: () => undefined });
    assert.deepEqual(beats, [1, 1], 'each beats as it joins');
    mock.timers.tick(PULSE_INTERVAL_MS);
    assert.deepEqual(beats, [2, 2], 'one pulse, one beat each');
    leaveFirst();
    leaveSecond();
    mock.timers.tick(3 * PULSE_INTERVAL_MS);
    assert.deepEqual(beats, [2, 2], 'no pulse runs once the last member left');
  } finally {
    mock.timers.reset();
  }
});
