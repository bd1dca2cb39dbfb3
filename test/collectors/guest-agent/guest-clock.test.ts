// The guest clock tracking on a synthetic guest whose truth is known: three minutes of rows at
// 0.1 s from a clock that runs 50 ppm fast, delayed by up to 40 ms (some by 150 ms) between
// sampling and reading, a 2 s pause of the VM half-way (its clocks stand still), a burst of rows
// read together, and five skipped ticks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClockStep } from '../../../src/collectors/guest-agent/clock-envelope';
import { type ClockEstimate, GuestClock } from '../../../src/collectors/guest-agent/guest-clock';

const INTERVAL_NS = 100_000_000;
const GUEST_BOOT_NS = 5_000_000_000;
const DRIFT_PPM = 50;
const PAUSE_NS = 2_000_000_000;
const WALL_BASE_NS = 1_764_000_000_000_000_000n;
// The guest's wall clock is this far ahead of the host's (as the guest sees it).
const WALL_OFFSET_NS = -600_000_000;

interface Sample {
  guestNs: number;
  /** The truth: host t_mono_ns when the guest sampled. */
  hostNs: number;
  readNs: number;
  read: number;
}

// A deterministic spread of delivery delays: mostly 0.2–40 ms, one row in 25 delayed 150 ms.
function delayNs(k: number): number {
  if (k % 25 === 7) return 150_000_000;
  return 200_000 + ((k * 7919) % 400) * 100_000;
}

function synthetic(): Sample[] {
  const samples: Sample[] = [];
  for (let k = 0; k < 1800; k++) {
    if (k >= 1400 && k < 1405) continue; // five ticks skipped
    const guestNs = GUEST_BOOT_NS + k * INTERVAL_NS;
    const pausedNs = k >= 900 ? PAUSE_NS : 0;
    const hostNs = 1e9 + ((guestNs - GUEST_BOOT_NS) * 1e6) / (1e6 + DRIFT_PPM) + pausedNs;
    samples.push({ guestNs, hostNs, readNs: hostNs + delayNs(k), read: k });
  }
  // Rows 100–109 read together at the last one's read time (the host read late).
  const lastRead = samples[109]!.readNs;
  for (let k = 100; k < 110; k++) Object.assign(samples[k]!, { readNs: lastRead, read: 109 });
  return samples;
}

function run(samples: readonly Sample[], withInterval: boolean) {
  const steps: Array<{ clock: string; step: ClockStep }> = [];
  const established: ClockEstimate[] = [];
  let skipped = 0;
  const clock = new GuestClock(WALL_BASE_NS, 200e6, {
    established: (estimate) => established.push(estimate),
    step: (which, step) => steps.push({ clock: which, step }),
    skipped: (ticks) => (skipped += ticks),
  });
  let lastRead = -1;
  const placed = samples.map((s) => {
    if (s.read !== lastRead) {
      if (lastRead >= 0) clock.endRead();
      clock.begin(BigInt(Math.round(s.readNs)));
    }
    lastRead = s.read;
    // The guest's wall clock runs with its monotonic clock (and stands still with it).
    const wallNs = Number(WALL_BASE_NS) + WALL_OFFSET_NS + 1e9 + (s.guestNs - GUEST_BOOT_NS);
    const row = { t_guest_mono_ns: s.guestNs, t_guest_wall_ns: wallNs, ...(withInterval ? { interval_ns: INTERVAL_NS } : {}) };
    return Number(clock.sampledAt(row));
  });
  clock.endRead();
  return { clock, steps, established, skipped, placed };
}

test('t_guest_host_ns is within 5 ms of the sample time for 99 % of rows, and never after the read', () => {
  const samples = synthetic();
  const { placed } = run(samples, true);
  const errorsMs = placed.map((t, i) => Math.abs(t - samples[i]!.hostNs) / 1e6);
  const within = errorsMs.filter((e) => e <= 5).length / errorsMs.length;
  assert.ok(within >= 0.99, `${(within * 100).toFixed(1)} % within 5 ms; worst ${Math.max(...errorsMs).toFixed(1)} ms`);
  placed.forEach((t, i) => assert.ok(t <= Math.round(samples[i]!.readNs), `row ${i} placed after its read`));
});

test('the pause is one step of each clock, by the pause, and late reads are none', () => {
  const { steps } = run(synthetic(), true);
  assert.deepEqual(steps.map((s) => s.clock).sort(), ['mono', 'wall']);
  for (const { clock, step } of steps) {
    // Offsets are guest − host; lags host − guest: a pause grows the lag by its length.
    const movedNs = step.afterNs - step.beforeNs;
    assert.ok(Math.abs(movedNs - PAUSE_NS) < 50e6, `${clock} step ${movedNs / 1e6} ms for a ${PAUSE_NS / 1e6} ms pause`);
    assert.equal(step.firstGuestNs, GUEST_BOOT_NS + 900 * INTERVAL_NS);
  }
});

test('the estimate at connect, its uncertainty and the drift over the connection', () => {
  const { clock, established } = run(synthetic(), true);
  assert.equal(established.length, 1);
  const first = established[0]!;
  // Against the least-delayed row (0.2 ms) of the first window.
  assert.ok(Math.abs(first.offset_ns! - WALL_OFFSET_NS) < 1e6, `offset ${first.offset_ns} ns`);
  // The next best row of the window is 6 ms later than the best: the floor is seen that sharply.
  assert.ok(first.uncertainty_ns !== null && first.uncertainty_ns > 0 && first.uncertainty_ns < 10e6, `uncertainty ${first.uncertainty_ns}`);
  const { drift_ppm, mono_drift_ppm } = clock.driftPpm();
  assert.ok(Math.abs(mono_drift_ppm! - DRIFT_PPM) < 5, `mono drift ${mono_drift_ppm} ppm`);
  assert.ok(Math.abs(drift_ppm! - DRIFT_PPM) < 5, `wall drift ${drift_ppm} ppm`);
});

test('skipped ticks are counted from the interval the agent sends, and from the observed median without it', () => {
  assert.equal(run(synthetic(), true).skipped, 5);
  const observed = run(synthetic(), false);
  assert.equal(observed.skipped, 5);
  assert.equal(observed.clock.ticks.intervalSource, 'observed');
  assert.equal(observed.clock.ticks.intervalNs, INTERVAL_NS);
});

test('a stream in bursts (rows 1 µs apart, a burst every 10 ms) has no tick to skip', () => {
  const clock = new GuestClock(WALL_BASE_NS, 200e6, { established: () => undefined, step: () => undefined, skipped: () => assert.fail('a skip') });
  for (let k = 0; k < 500; k++) {
    const guestNs = GUEST_BOOT_NS + Math.floor(k / 10) * 10e6 + (k % 10) * 1000;
    clock.begin(BigInt(guestNs));
    clock.sampledAt({ t_guest_mono_ns: guestNs, t_guest_wall_ns: 1 });
    clock.endRead();
  }
  assert.equal(clock.ticks.intervalNs, null);
});
