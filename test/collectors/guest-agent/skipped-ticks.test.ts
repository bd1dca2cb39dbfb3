// Ticks the agent skipped, on sequences of guest times built for each rule: the agent's own
// interval, the measured median once 256 steps are in, the regularity the median must show
// (the middle half of the last 31 steps within ±25 %), bursts below vmtel's shortest interval,
// and a new connection.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SkippedTicks } from '../../../src/collectors/guest-agent/skipped-ticks';

const MS = 1e6;
const T0 = 5_000 * MS;

/** Feeds rows `steps` apart (no agent interval) and returns the ticks each row said were skipped. */
function feedSteps(ticks: SkippedTicks, steps: readonly number[], start = T0): number[] {
  let t = start;
  const skipped = [ticks.row(t, null)];
  for (const step of steps) skipped.push(ticks.row((t += step), null));
  return skipped;
}

test('with the agent interval, a step of n intervals skipped n − 1 ticks, rounded', () => {
  const ticks = new SkippedTicks();
  const interval = 100 * MS;
  assert.equal(ticks.row(T0, interval), 0, 'the first row has no step');
  assert.equal(ticks.lastGuestNs, T0);
  assert.equal(ticks.row(T0 + 100 * MS, interval), 0);
  assert.equal(ticks.row(T0 + 310 * MS, interval), 1, '2.1 intervals: one tick skipped');
  assert.equal(ticks.row(T0 + 450 * MS, interval), 0, '1.4 intervals: late, none skipped');
  assert.equal(ticks.row(T0 + 750 * MS, interval), 2, '3 intervals');
  assert.equal(ticks.row(T0 + 750 * MS, interval), 0, 'no step');
  assert.equal(ticks.row(T0 + 100 * MS, interval), 0, 'a clock that went back skipped nothing');
  assert.equal(ticks.lastGuestNs, T0 + 100 * MS);
  assert.deepEqual([ticks.intervalNs, ticks.intervalSource], [interval, 'agent']);
});

test('without it, the interval is the median of the last 31 steps, taken at the 256th step and every 256 after', () => {
  const ticks = new SkippedTicks();
  // 255 steps: no median yet, so a long step counts nothing.
  const before = feedSteps(ticks, [...Array<number>(254).fill(100 * MS), 500 * MS]);
  assert.deepEqual(before.filter((n) => n > 0), []);
  assert.deepEqual([ticks.intervalNs, ticks.intervalSource], [null, null]);
  // The 256th step is measured with the median it completes.
  assert.equal(ticks.row(ticks.lastGuestNs! + 300 * MS, null), 2);
  assert.deepEqual([ticks.intervalNs, ticks.intervalSource], [100 * MS, 'observed']);
  // 255 more steps of 50 ms: the median is not taken again until the 512th step.
  let t = ticks.lastGuestNs!;
  for (let k = 0; k < 255; k++) ticks.row((t += 50 * MS), null);
  assert.equal(ticks.intervalNs, 100 * MS);
  ticks.row((t += 50 * MS), null);
  assert.equal(ticks.intervalNs, 50 * MS, 'the last 31 steps were all 50 ms');
});

/** The interval measured after 225 steps of 100 ms followed by `last31` (any order). */
function measured(last31: readonly number[]): number | null {
  assert.equal(last31.length, 31);
  const ticks = new SkippedTicks();
  feedSteps(ticks, [...Array<number>(225).fill(100 * MS), ...last31]);
  return ticks.intervalNs;
}

test('the median is trusted only while the middle half of the steps is within 25 % of it', () => {
  const mix = (low: number, lowCount: number, high: number, highCount: number): number[] => [
    ...Array<number>(lowCount).fill(low),
    ...Array<number>(31 - lowCount - highCount).fill(100 * MS),
    ...Array<number>(highCount).fill(high),
  ];
  // Sorted, the quarter points are the 8th and the 24th of 31.
  assert.equal(measured(mix(10 * MS, 7, 900 * MS, 7)), 100 * MS, 'seven outliers each side leave the middle half at 100 ms');
  assert.equal(measured(mix(10 * MS, 8, 0, 0)), null, 'an eighth short step is inside the middle half');
  assert.equal(measured(mix(0, 0, 900 * MS, 8)), null, 'an eighth long step is inside the middle half');
  assert.equal(measured(mix(75 * MS, 8, 125 * MS, 8)), 100 * MS, 'exactly 25 % either way is regular');
  assert.equal(measured(mix(74.9 * MS, 8, 0, 0)), null);
  assert.equal(measured(mix(0, 0, 125.1 * MS, 8)), null);
});

test('steps shorter than 10 ms are a burst of rows, not an agent tick', () => {
  assert.equal(measured(Array<number>(31).fill(9.9 * MS)), null);
  assert.equal(measured(Array<number>(31).fill(10 * MS)), 10 * MS);
});

test('a new connection starts without a previous row', () => {
  const ticks = new SkippedTicks();
  ticks.row(T0, 100 * MS);
  ticks.reset();
  assert.equal(ticks.lastGuestNs, null);
  assert.equal(ticks.row(T0 + 10_000 * MS, 100 * MS), 0, 'the gap across connections is no skip');
  assert.equal(ticks.row(T0 + 10_300 * MS, 100 * MS), 2);
});

test("steps that came with the agent's interval are not measured: without it later, there is no measured interval yet", () => {
  const ticks = new SkippedTicks();
  let t = T0;
  for (let k = 0; k < 300; k++) ticks.row((t += 100 * MS), 100 * MS);
  ticks.row((t += 100 * MS), null);
  assert.deepEqual([ticks.intervalNs, ticks.intervalSource], [null, null]);
});
