// The silence watch on a scripted clock and mocked timers: each event at its exact moment with its
// exact figure, once. (vmtel's own thread is never stalled here: no loop pulse runs in this test,
// so every silence is the guest's.)
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { SilenceWatch } from '../../../src/collectors/guest-agent/silence-watch';
import { LOOP_STALL_MS, loopPulse, PULSE_INTERVAL_MS } from '../../../src/control/loop-pulse';

const LIMITS = { silentWarnAfterMs: 1000, stallWarnAfterMs: 500 };
const MS = 1_000_000n;

// A watch connected at 10 s on a clock that moves with the mocked timers.
function watchUnderTest(t: TestContext, limits = LIMITS) {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  let nowNs = 10_000n * MS;
  const events: string[] = [];
  const watch = new SilenceWatch(() => nowNs, limits, {
    firstByte: (s) => events.push(`firstByte ${s}`),
    silentWindow: (s) => events.push(`silentWindow ${s}`),
    stalled: (s) => events.push(`stalled ${s}`),
    resumed: (s) => events.push(`resumed ${s}`),
  });
  t.after(() => watch.end(nowNs));
  const advance = (ms: number): void => {
    for (let i = 0; i < ms; i++) {
      nowNs += MS;
      t.mock.timers.tick(1);
    }
  };
  const bytes = (): void => watch.bytes(nowNs);
  return { watch, events, advance, bytes, now: () => nowNs };
}

test('a connection that carries no byte: one silent_window when the window has passed, not before', (t) => {
  const { events, advance } = watchUnderTest(t);
  advance(999);
  assert.deepEqual(events, []);
  advance(1);
  assert.deepEqual(events, ['silentWindow 1']);
  advance(10_000);
  assert.deepEqual(events, ['silentWindow 1'], 'once per connection');
});

test('the first byte is stamped with its wait after connecting, and no silent_window follows', (t) => {
  const { events, advance, bytes } = watchUnderTest(t);
  advance(250);
  bytes();
  assert.deepEqual(events, ['firstByte 0.25']);
  for (let i = 0; i < 10; i++) {
    advance(100);
    bytes();
  }
  assert.deepEqual(events, ['firstByte 0.25'], 'bytes keep coming: no silence');
});

test('bytes that stop: stalled once the stall limit has passed since the last byte; resumed with the whole silence', (t) => {
  const { events, advance, bytes } = watchUnderTest(t);
  bytes();
  advance(300);
  bytes();
  // The check armed at the first byte finds 200 ms of silence and waits out the rest.
  advance(499);
  assert.deepEqual(events, ['firstByte 0']);
  advance(1);
  assert.deepEqual(events, ['firstByte 0', 'stalled 0.5']);
  advance(5000);
  assert.deepEqual(events, ['firstByte 0', 'stalled 0.5'], 'once per silence');
  advance(300);
  bytes();
  assert.deepEqual(events, ['firstByte 0', 'stalled 0.5', 'resumed 5.8']);
  advance(100);
  bytes();
  assert.deepEqual(events, ['firstByte 0', 'stalled 0.5', 'resumed 5.8'], 'resumed once');
  advance(500);
  assert.deepEqual(events, ['firstByte 0', 'stalled 0.5', 'resumed 5.8', 'stalled 0.5'], 'a new silence is watched again');
});

test('the longest silence counts the one before the end, not the wait before the first byte', (t) => {
  const { watch, advance, bytes, now } = watchUnderTest(t);
  advance(700);
  bytes();
  advance(100);
  bytes();
  advance(300);
  bytes();
  advance(400);
  watch.end(now());
  assert.equal(watch.longestSilenceNs, 400n * MS);
});

test('a connection that never carried a byte has no longest silence', (t) => {
  const { watch, advance, now } = watchUnderTest(t);
  advance(2000);
  watch.end(now());
  assert.equal(watch.longestSilenceNs, 0n);
});

test('after the end no event comes', (t) => {
  const { watch, events, advance, bytes, now } = watchUnderTest(t);
  bytes();
  watch.end(now());
  advance(10_000);
  assert.deepEqual(events, ['firstByte 0']);
});

// vmtel's own thread stood still (SIGSTOP, a frozen cgroup, a starved host): the loop pulse of
// this thread, on a mocked CLOCK_MONOTONIC, is overdue by more than its stall limit. Bytes the
// guest sent meanwhile are in the socket, unread; a verdict of silence must give the loop one
// turn to read them before it is said.
function standStill(t: TestContext): void {
  joinPulse(t)();
}

// This thread's pulse on a mocked CLOCK_MONOTONIC; the function returned makes vmtel stand still.
function joinPulse(t: TestContext): () => void {
  let hostNs = 1_000_000n * MS;
  t.mock.method(process.hrtime, 'bigint', () => hostNs);
  t.after(loopPulse.join({ beat: () => undefined, stalled: () => undefined }));
  return () => {
    hostNs += BigInt(PULSE_INTERVAL_MS + LOOP_STALL_MS) * MS;
  };
}

// A stall check sees vmtel's stall only for a silence of a pulse interval or more.
const LONG_STALL = { silentWarnAfterMs: 1000, stallWarnAfterMs: 1500 };

test("a silent window found just after vmtel's own thread stood still waits one turn: bytes read in it cancel the verdict", (t) => {
  standStill(t);
  const { events, advance, bytes } = watchUnderTest(t);
  advance(1000);
  assert.deepEqual(events, [], 'the verdict waits a turn');
  bytes();
  advance(10);
  assert.deepEqual(events, ['firstByte 1']);
});

test('with no bytes in that turn the silent window is said one millisecond later: one turn is waited, not more', (t) => {
  standStill(t);
  const { events, advance } = watchUnderTest(t);
  advance(1000);
  assert.deepEqual(events, []);
  advance(1);
  assert.deepEqual(events, ['silentWindow 1']);
});

test("a stall found just after vmtel's own thread stood still waits one turn: bytes read in it cancel the verdict", (t) => {
  standStill(t);
  const { watch, events, advance, bytes } = watchUnderTest(t, LONG_STALL);
  bytes();
  advance(1500);
  assert.deepEqual(events, ['firstByte 0'], 'the verdict waits a turn');
  bytes();
  assert.equal(watch.longestSilenceNs, 0n, "the 1.5 s without bytes were vmtel's own stall, not the guest's silence");
  advance(1000);
  assert.deepEqual(events, ['firstByte 0']);
});

test('with no bytes in that turn the stall is said one millisecond later, with the whole silence', (t) => {
  standStill(t);
  const { events, advance, bytes } = watchUnderTest(t, LONG_STALL);
  bytes();
  advance(1500);
  assert.deepEqual(events, ['firstByte 0']);
  advance(1);
  assert.deepEqual(events, ['firstByte 0', 'stalled 1.501']);
});

test("each verdict after a stall of vmtel's own waits its own turn, whatever the verdicts before it did", (t) => {
  const standStillNow = joinPulse(t);
  const { events, advance, bytes } = watchUnderTest(t, LONG_STALL);
  bytes();
  advance(1500);
  assert.deepEqual(events, ['firstByte 0', 'stalled 1.5'], 'no stall of vmtel: said at once');
  bytes();
  standStillNow();
  advance(1500);
  assert.deepEqual(events, ['firstByte 0', 'stalled 1.5', 'resumed 1.5'], 'after a stall of vmtel: the verdict waits a turn');
  advance(1);
  assert.deepEqual(events, ['firstByte 0', 'stalled 1.5', 'resumed 1.5', 'stalled 1.501']);

  // A waited turn that brought bytes leaves the next verdict to wait its own turn too.
  bytes();
  advance(1500);
  assert.deepEqual(events.slice(4), ['resumed 1.501'], 'the stall of vmtel is still on: the verdict waits');
  bytes();
  advance(1);
  advance(1499);
  assert.deepEqual(events.slice(4), ['resumed 1.501'], 'bytes came in the turn; the next verdict waits too');
  advance(1);
  assert.deepEqual(events.slice(4), ['resumed 1.501', 'stalled 1.501']);
});
