// The ticker's sleep: one stop listener for its whole life (never one per sleep), cut short at
// once by a stop, and nothing left on the signal or the loop after dispose.
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { test } from 'node:test';
import { StopAwareSleep } from '../../../src/collectors/sampling/stop-aware-sleep';
import { withDeadline } from '../../helpers/wait-for';

test('sleeps for its time, with one stop listener however many sleeps', async () => {
  const stop = new AbortController();
  const sleep = new StopAwareSleep(stop.signal);
  for (let i = 0; i < 3; i++) {
    const fromMs = performance.now();
    await withDeadline('a 20 ms sleep', sleep.sleep(20), 5000);
    assert.ok(performance.now() - fromMs >= 19, 'the sleep lasted its time');
  }
  assert.equal(getEventListeners(stop.signal, 'abort').length, 1);
  sleep.dispose();
  assert.equal(getEventListeners(stop.signal, 'abort').length, 0, 'dispose removes the listener');
});

test('a stop ends a long sleep at once; a sleep after the stop does not wait', async () => {
  const stop = new AbortController();
  const sleep = new StopAwareSleep(stop.signal);
  const fromMs = performance.now();
  const sleeping = sleep.sleep(60_000);
  stop.abort();
  await withDeadline('the sleep cut short by the stop', sleeping, 1000);
  await withDeadline('a sleep after the stop', sleep.sleep(60_000), 1000);
  assert.ok(performance.now() - fromMs < 1000);
  sleep.dispose();
});
