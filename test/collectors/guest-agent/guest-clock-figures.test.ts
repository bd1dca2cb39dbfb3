// The figures GuestClock gives, exactly, on short made-up connections: the digits of a row's
// t_guest_host_ns, which rows have a clock at all, the estimate at connect (offsets, their
// sharpness, the row count), the estimate of a step before the first window closes, and the
// drift in ppm to three decimals. The wall base is small enough (1e15 ns) that every sum is an
// exact integer in a double, so the expected figures are exact.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClockStep } from '../../../src/collectors/guest-agent/clock-envelope';
import { type ClockEstimate, GuestClock } from '../../../src/collectors/guest-agent/guest-clock';

const S = 1e9;
const MS = 1e6;
const WALL_BASE_NS = 1_000_000_000_000_000n;
const THRESHOLD_NS = 200 * MS;
// Guest CLOCK_MONOTONIC − host t_mono_ns, and guest wall − host wall.
const MONO_OFFSET_NS = 5 * S;
const WALL_OFFSET_NS = -600 * MS;

interface Heard {
  established: ClockEstimate[];
  steps: Array<{ clock: string; step: ClockStep; uncertaintyNs: number | null }>;
  skipped: number;
}

function guestClock(): { clock: GuestClock; heard: Heard } {
  const heard: Heard = { established: [], steps: [], skipped: 0 };
  const clock = new GuestClock(WALL_BASE_NS, THRESHOLD_NS, {
    established: (estimate) => heard.established.push(estimate),
    step: (which, step, uncertaintyNs) => heard.steps.push({ clock: which, step, uncertaintyNs }),
    skipped: (ticks) => (heard.skipped += ticks),
  });
  return { clock, heard };
}

/** One row in a read of its own, read at `readNs`; returns its t_guest_host_ns text. */
function readOne(clock: GuestClock, readNs: number, row: object): string {
  clock.begin(BigInt(readNs));
  const text = clock.sampledAt(row);
  clock.endRead();
  return text;
}

/** A row the guest sampled at host time `hostNs`, with both clocks (each `driftPpm` fast). */
function sampled(hostNs: number, { monoPpm = 0, wallPpm = 0 } = {}): { t_guest_mono_ns: number; t_guest_wall_ns: number } {
  return {
    t_guest_mono_ns: MONO_OFFSET_NS + hostNs * (1 + monoPpm * 1e-6),
    t_guest_wall_ns: Number(WALL_BASE_NS) + WALL_OFFSET_NS + hostNs * (1 + wallPpm * 1e-6),
  };
}

test('until there is an estimate a row is placed at its read, written as exact digits', () => {
  const cases: Array<[number, string]> = [
    [999_999, '999999'],
    [1_000_000, '1000000'],
    [1_099_999, '1099999'],
    [1_100_000, '1100000'],
    [12_345_000_042, '12345000042'],
    [9_007_199_254_740_992, '9007199254740992'],
  ];
  for (const [readNs, text] of cases) {
    const { clock } = guestClock();
    clock.begin(BigInt(readNs));
    assert.equal(clock.sampledAt({ t_guest_mono_ns: 0 }), text);
  }
});

test('a row without a finite guest monotonic clock has no t_guest_host_ns and is not counted', () => {
  const { clock } = guestClock();
  clock.begin(5n * BigInt(S));
  for (const row of [{}, { t_guest_mono_ns: '12' }, { t_guest_mono_ns: Infinity }, { t_guest_mono_ns: NaN }, { t_guest_mono_ns: null }]) {
    assert.equal(clock.sampledAt(row), 'null', JSON.stringify(row));
  }
  clock.endRead();
  assert.equal(clock.estimate().rows, 0);
  assert.equal(clock.ticks.lastGuestNs, null);
  assert.equal(clock.estimate().mono_offset_ns, null, 'nothing observed');
});

test('reads whose rows have no clock at all do not interrupt a step', () => {
  const { clock, heard } = guestClock();
  for (let k = 0; k < 90; k++) readOne(clock, S + k * 0.25 * S, sampled(S + k * 0.25 * S));
  for (let k = 90; k < 95; k++) readOne(clock, S + k * 0.25 * S, k % 2 === 0 ? sampled(S + k * 0.25 * S - 500 * MS) : { seq: k });
  clock.finish();
  assert.deepEqual(
    heard.steps.map(({ clock: which }) => which),
    ['mono', 'wall'],
  );
});

test('reads whose rows have no wall clock do not interrupt a step of the wall clock', () => {
  const { clock, heard } = guestClock();
  for (let k = 0; k < 90; k++) readOne(clock, S + k * 0.25 * S, sampled(S + k * 0.25 * S));
  // The guest's clocks stand still for 500 ms; every other read after it carries no wall clock.
  for (let k = 90; k < 95; k++) {
    const row = sampled(S + k * 0.25 * S - 500 * MS);
    readOne(clock, S + k * 0.25 * S, k % 2 === 0 ? row : { t_guest_mono_ns: row.t_guest_mono_ns });
  }
  clock.finish();
  assert.deepEqual(
    heard.steps.map(({ clock: which }) => which),
    ['mono', 'wall'],
  );
});

test("an interval_ns that is not a positive number is not the agent's interval", () => {
  for (const interval of [0, -100 * MS, '100000000', null]) {
    const { clock } = guestClock();
    readOne(clock, S, { t_guest_mono_ns: S, interval_ns: interval });
    readOne(clock, 2 * S, { t_guest_mono_ns: 2 * S, interval_ns: interval });
    assert.equal(clock.ticks.intervalSource, null, String(interval));
  }
  const { clock, heard } = guestClock();
  readOne(clock, S, { t_guest_mono_ns: S, interval_ns: 100 * MS });
  readOne(clock, 2 * S, { t_guest_mono_ns: 1.3 * S, interval_ns: 100 * MS });
  assert.equal(clock.ticks.intervalSource, 'agent');
  assert.equal(heard.skipped, 2);
});

test('the estimate at connect: both offsets, how sharply each is seen, and the rows so far, said once', () => {
  const { clock, heard } = guestClock();
  // Rows every 0.25 s; the first read at once, the others 2–8 ms late, the ninth 1 ms late.
  const delaysMs = [0, 2, 3, 4, 5, 6, 7, 8, 1];
  delaysMs.forEach((delayMs, k) => readOne(clock, S + k * 0.25 * S + delayMs * MS, sampled(S + k * 0.25 * S)));
  // The ninth row, 2 s after the first, closes the first window.
  assert.deepEqual(heard.established, [
    { offset_ns: WALL_OFFSET_NS, offset_s: WALL_OFFSET_NS / 1e9, uncertainty_ns: 1 * MS, mono_offset_ns: MONO_OFFSET_NS, mono_uncertainty_ns: 1 * MS, rows: 9 },
  ]);
  for (let k = 9; k < 20; k++) readOne(clock, S + k * 0.25 * S + 4 * MS, sampled(S + k * 0.25 * S));
  assert.equal(heard.established.length, 1);
  assert.equal(clock.estimate().rows, 20);
});

test('a row without a wall clock leaves the wall offset unknown, not zero', () => {
  const { clock } = guestClock();
  for (let k = 0; k < 12; k++) {
    const { t_guest_mono_ns } = sampled(S + k * 0.25 * S);
    readOne(clock, S + k * 0.25 * S, k % 2 === 0 ? { t_guest_mono_ns } : { t_guest_mono_ns, t_guest_wall_ns: Infinity });
  }
  assert.deepEqual(clock.estimate(), { offset_ns: null, offset_s: null, uncertainty_ns: null, mono_offset_ns: MONO_OFFSET_NS, mono_uncertainty_ns: 0, rows: 12 });
});

test('a step before the first window closes: the estimate at connect is the one before the step', () => {
  const { clock, heard } = guestClock();
  for (let k = 0; k < 4; k++) readOne(clock, S + k * 0.25 * S, sampled(S + k * 0.25 * S));
  assert.equal(heard.established.length, 0);
  // The guest's clocks stand still for 500 ms: every later row is read 500 ms later on them.
  for (let k = 4; k < 7; k++) readOne(clock, S + k * 0.25 * S, sampled(S + k * 0.25 * S - 500 * MS));
  assert.equal(heard.established.length, 1);
  assert.deepEqual({ ...heard.established[0]! }, { offset_ns: WALL_OFFSET_NS, offset_s: -0.6, uncertainty_ns: 0, mono_offset_ns: MONO_OFFSET_NS, mono_uncertainty_ns: 0, rows: 7 });
  clock.finish();
  assert.deepEqual(
    heard.steps.map(({ clock: which, step }) => [which, step.afterNs - step.beforeNs]),
    [
      ['mono', 500 * MS],
      ['wall', 500 * MS],
    ],
  );
});

test("the step of each clock is said with that clock's own sharpness", () => {
  const { clock, heard } = guestClock();
  // Before the step the wall clock's rows carry a jitter the monotonic clock's do not: its
  // second-best row is 3 ms above its best, the monotonic clock's 1 ms.
  for (let k = 0; k < 8; k++) {
    const row = sampled(S + k * 0.25 * S);
    readOne(clock, S + k * 0.25 * S + (k === 0 ? 0 : 1 * MS), { ...row, t_guest_wall_ns: row.t_guest_wall_ns - (k === 0 ? 0 : 2 * MS) });
  }
  // The three rows of the step: read 0, 1 and 1 ms late, their wall clocks 0, 1 and 2 ms behind,
  // so after it the monotonic clock's second-best row is 1 ms above its best, the wall's 2 ms.
  [0, 1, 2].forEach((i) => {
    const k = 8 + i;
    const row = sampled(S + k * 0.25 * S - 500 * MS);
    readOne(clock, S + k * 0.25 * S + (i === 0 ? 0 : 1 * MS), { ...row, t_guest_wall_ns: row.t_guest_wall_ns - i * MS });
  });
  assert.deepEqual(heard.established.map((e) => [e.mono_uncertainty_ns, e.uncertainty_ns]), [[1 * MS, 3 * MS]]);
  clock.finish();
  assert.deepEqual(
    heard.steps.map(({ clock: which, uncertaintyNs }) => [which, uncertaintyNs]),
    [
      ['mono', 1 * MS],
      ['wall', 2 * MS],
    ],
  );
});

test('the drift of each clock, in ppm to three decimals', () => {
  const { clock } = guestClock();
  assert.deepEqual(clock.driftPpm(), { drift_ppm: null, mono_drift_ppm: null });
  for (let k = 0; k <= 100; k++) readOne(clock, S + k * 0.25 * S, sampled(S + k * 0.25 * S, { monoPpm: 12.3457, wallPpm: -20 }));
  assert.deepEqual(clock.driftPpm(), { drift_ppm: -20, mono_drift_ppm: 12.346 });
});
