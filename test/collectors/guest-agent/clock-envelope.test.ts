// The running estimate of one guest clock, fed rows whose lags are chosen so that every figure it
// gives can be worked out by hand: the least lag before a fit, the window that closes at exactly
// two seconds of guest time, the fit from the tenth window and the minute it keeps, the steps
// (three reads that agree, never one read three times, reset by a row that does not agree) and
// the drift over a connection with a step in it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClockEnvelope, type ClockStep } from '../../../src/collectors/guest-agent/clock-envelope';

const S = 1e9;
const MS = 1e6;
const WINDOW_NS = 2 * S;
const THRESHOLD_NS = 200 * MS;
const G0 = 100 * S;
const C = 10 * MS;

interface Said {
  seen: number;
  steps: ClockStep[];
}

function envelope(): { env: ClockEnvelope; said: Said } {
  const said: Said = { seen: 0, steps: [] };
  const env = new ClockEnvelope(THRESHOLD_NS, { stepSeen: () => (said.seen += 1), step: (step) => said.steps.push(step) });
  return { env, said };
}

// Counts socket reads across a test: each row is read on its own unless it says otherwise.
class Feeder {
  read = 0;
  constructor(readonly env: ClockEnvelope) {}

  /** One row of guest time `g` with lag `lag`, in a read of its own or in read `read`; returns the lag it was placed by. */
  row(g: number, lag: number, read = ++this.read): number {
    const placedBy = this.env.rowLag(g, lag, read);
    this.env.observe(g, lag, read, g + lag);
    return placedBy;
  }

  /**
   * Windows [first, last] of guest time from `start`: each opens with its least-lagged row at
   * `floor(window)` and has a row 1 s later, 3 ms more delayed.
   */
  windows(start: number, first: number, last: number, floor: (window: number) => number): void {
    for (let w = first; w <= last; w++) {
      this.row(start + w * WINDOW_NS, floor(w));
      this.row(start + w * WINDOW_NS + S, floor(w) + 3 * MS);
    }
  }
}

test('before the first row there is no estimate: a row is placed by its own lag', () => {
  const { env } = envelope();
  assert.equal(env.lagAt(G0), null);
  assert.equal(env.rowLag(G0, 123, 1), 123);
  assert.equal(env.uncertaintyNs(), null);
  assert.equal(env.slope(), null);
});

test('before a fit the estimate is the least lag so far and its sharpness the gap to the second least', () => {
  const { env } = envelope();
  const feed = new Feeder(env);
  feed.row(G0, 5 * MS);
  assert.equal(env.lagAt(G0), 5 * MS);
  assert.equal(env.uncertaintyNs(), null, 'one row: no second-best');
  feed.row(G0 + 0.25 * S, 7 * MS);
  assert.equal(env.lagAt(G0), 5 * MS);
  assert.equal(env.uncertaintyNs(), 2 * MS);
  feed.row(G0 + 0.5 * S, 4 * MS);
  assert.equal(env.lagAt(G0 + 0.5 * S), 4 * MS);
  assert.equal(env.uncertaintyNs(), 1 * MS, 'the old least is now the second');
  feed.row(G0 + 0.75 * S, 4.5 * MS);
  assert.equal(env.uncertaintyNs(), 0.5 * MS, 'a lag between the two is the new second');
  // A row is placed by the estimate, or by its own lag when that is less.
  assert.equal(env.rowLag(G0 + S, 9 * MS, 99), 4 * MS);
  assert.equal(env.rowLag(G0 + S, 3 * MS, 99), 3 * MS);
});

test('a window closes at the first row two seconds of guest time after it opened, and keeps its least lag', () => {
  const { env } = envelope();
  const feed = new Feeder(env);
  feed.row(G0, C + 1 * MS);
  feed.row(G0 + S, C);
  feed.row(G0 + WINDOW_NS - 1, C + 2 * MS);
  assert.equal(env.windows, 0);
  feed.row(G0 + WINDOW_NS, C + 5 * MS);
  assert.equal(env.windows, 1);
  // The closed window's least lag still bounds the estimate while the new window's are higher.
  assert.equal(env.lagAt(G0 + WINDOW_NS), C);
  feed.row(G0 + 2 * WINDOW_NS, C + 6 * MS);
  assert.equal(env.windows, 2);
  assert.equal(env.lagAt(G0 + 2 * WINDOW_NS), C);
});

test('from the tenth window the estimate follows the fit, which keeps the last thirty windows', () => {
  const { env } = envelope();
  const feed = new Feeder(env);
  // The first window's floor is 1 ms below the others'.
  const floor = (w: number): number => (w === 0 ? C - 1 * MS : C);
  feed.windows(G0, 0, 9, floor);
  assert.equal(env.windows, 9);
  assert.equal(env.lagAt(G0 + 40 * S), C - 1 * MS, 'nine windows: the least lag, however far ahead');
  assert.equal(env.slope(), null, 'nine windows: no drift yet');
  feed.windows(G0, 10, 10, floor);
  assert.equal(env.windows, 10);
  // The line from (0 s, C − 1 ms) to (18 s, C): 1/18 ms per s; at 36 s it is 1 ms above C.
  assert.ok(Math.abs(env.lagAt(G0 + 36 * S)! - (C + 1 * MS)) < 1, `lag ${env.lagAt(G0 + 36 * S)}`);
  assert.ok(Math.abs(env.slope()! - 1 / 18e3) < 1e-12, `slope ${env.slope()}`);
  feed.windows(G0, 11, 30, floor);
  assert.equal(env.windows, 30);
  assert.notEqual(env.lagAt(G0 + 60 * S), C, 'thirty windows: the first is still in the fit');
  feed.windows(G0, 31, 31, floor);
  assert.equal(env.windows, 31);
  assert.equal(env.lagAt(G0 + 60 * S), C, 'the first window has left the fit: every window left rests at C');
  assert.equal(env.uncertaintyNs(), 0, 'the other windows rest on the line');
});

test('the sharpness of a fit is the distance of the next-best window above its line', () => {
  const { env } = envelope();
  const feed = new Feeder(env);
  // Floors on a parabola about window 4.5: the fit over the mean (9 s) rests on windows 4 and 5,
  // 0.025 ms above its bottom; windows 3 and 6 are 0.225 ms above it, 0.2 ms above the line.
  feed.windows(G0, 0, 10, (w) => C + 0.1 * MS * (w - 4.5) ** 2);
  assert.equal(env.windows, 10);
  assert.ok(Math.abs(env.uncertaintyNs()! - 0.2 * MS) < 1e-3, `uncertainty ${env.uncertaintyNs()}`);
  assert.ok(Math.abs(env.lagAt(G0)! - (C + 0.025 * MS)) < 1e-3, `lag ${env.lagAt(G0)}`);
});

test('a step is three reads that agree beyond the threshold; it is said once a window rests on the new lag', () => {
  const { env, said } = envelope();
  const feed = new Feeder(env);
  // 100 ppm of drift before the step: the lag before it is read off the line at the step's row.
  const before = (g: number): number => C + 1e-4 * (g - G0);
  feed.windows(G0, 0, 11, (w) => before(G0 + w * WINDOW_NS));
  const g = G0 + 24 * S;
  const after = C + 2000 * MS;
  const first = feed.row(g, after + 5 * MS);
  assert.ok(Math.abs(first - before(g)) < 1, `the first row of a step is placed by the estimate before it, not ${first}`);
  assert.equal(feed.row(g + 0.25 * S, after), after, 'the second agrees with the first: placed by the step (its own lag, the least)');
  assert.equal(said.seen, 0, 'two reads are not a step');
  assert.equal(feed.row(g + 0.5 * S, after + 3 * MS), after, 'placed by the least lag of the step so far');
  assert.equal(said.seen, 1, 'the third read confirms the step');
  assert.equal(said.steps.length, 0, 'not said before a window rests on the new lag');
  assert.equal(env.lagAt(g), after, 'the estimate starts over from the step');
  feed.row(g + WINDOW_NS - 1, after + 1 * MS);
  assert.equal(said.steps.length, 0);
  feed.row(g + WINDOW_NS, after + 1 * MS);
  assert.equal(said.steps.length, 1);
  const step = said.steps[0]!;
  assert.ok(Math.abs(step.beforeNs - before(g)) < 1, `before ${step.beforeNs}`);
  assert.deepEqual({ ...step, beforeNs: 0 }, { beforeNs: 0, afterNs: after, firstGuestNs: g, firstReadNs: g + after + 5 * MS });
  env.flush();
  assert.equal(said.steps.length, 1, 'said once');
});

test('rows of one read confirm nothing among themselves', () => {
  const { env, said } = envelope();
  const feed = new Feeder(env);
  feed.windows(G0, 0, 10, () => C);
  const g = G0 + 22 * S;
  const after = C + 1000 * MS;
  // Three rows of one read: a host that read late delays them all at once.
  const read = ++feed.read;
  feed.row(g, after, read);
  assert.equal(feed.row(g + 0.25 * S, after, read), C, 'a row of the same read is placed by the estimate');
  feed.row(g + 0.5 * S, after, read);
  feed.row(g + 0.75 * S, after);
  assert.equal(said.seen, 0, 'two reads');
  feed.row(g + 1 * S, after);
  assert.equal(said.seen, 1, 'the third read');
});

test('a lag exactly at the threshold is no step; a nanosecond beyond is', () => {
  const { env, said } = envelope();
  const feed = new Feeder(env);
  feed.windows(G0, 0, 10, () => C);
  const g = G0 + 22 * S;
  for (let k = 0; k < 4; k++) feed.row(g + k * 0.25 * S, C + THRESHOLD_NS);
  assert.equal(said.seen, 0);
  for (let k = 4; k < 7; k++) feed.row(g + k * 0.25 * S, C + THRESHOLD_NS + 1);
  assert.equal(said.seen, 1);
});

test('a row that does not agree starts the count again, and so does a step the other way', () => {
  const { env, said } = envelope();
  const feed = new Feeder(env);
  feed.windows(G0, 0, 10, () => C);
  let g = G0 + 22 * S;
  const next = (lag: number): number => feed.row((g += 0.25 * S), lag);
  next(C + 500 * MS);
  next(C + 500 * MS);
  next(C);
  next(C + 500 * MS);
  next(C + 500 * MS);
  assert.equal(said.seen, 0, 'an agreeing row between: two and two');
  next(C - 500 * MS);
  next(C + 500 * MS);
  next(C + 500 * MS);
  assert.equal(said.seen, 0, 'a step down between: two, one, two');
  next(C + 500 * MS);
  assert.equal(said.seen, 1);
});

test('a lag below the estimate is a step only once a fit rests on windows', () => {
  const { env, said } = envelope();
  const feed = new Feeder(env);
  feed.windows(G0, 0, 2, () => C);
  let g = G0 + 6 * S;
  for (let k = 0; k < 4; k++) feed.row((g += 0.25 * S), C - 500 * MS);
  assert.equal(said.seen, 0, 'before a fit the first rows may still carry a delay');
  assert.equal(env.lagAt(g), C - 500 * MS, 'the lower lag is the estimate');

  const fitted = envelope();
  const feedFitted = new Feeder(fitted.env);
  feedFitted.windows(G0, 0, 10, () => C);
  g = G0 + 22 * S;
  for (let k = 0; k < 3; k++) feedFitted.row((g += 0.25 * S), C - 500 * MS);
  assert.equal(fitted.said.seen, 1);
  fitted.env.flush();
  assert.deepEqual(fitted.said.steps, [{ beforeNs: C, afterNs: C - 500 * MS, firstGuestNs: G0 + 22.25 * S, firstReadNs: G0 + 22.25 * S + C - 500 * MS }]);
});

test('a step still waiting for its window is said when the connection ends, and only then', () => {
  const { env, said } = envelope();
  const feed = new Feeder(env);
  feed.windows(G0, 0, 10, () => C);
  const g = G0 + 22 * S;
  feed.row(g, C + 900 * MS);
  feed.row(g + 0.25 * S, C + 800 * MS);
  feed.row(g + 0.5 * S, C + 850 * MS);
  assert.equal(said.seen, 1);
  env.flush();
  assert.deepEqual(said.steps, [{ beforeNs: C, afterNs: C + 800 * MS, firstGuestNs: g, firstReadNs: g + C + 900 * MS }]);
  env.flush();
  assert.equal(said.steps.length, 1);
});

test('the drift over a connection weighs each segment by its span, the step between them excluded', () => {
  const { env, said } = envelope();
  const feed = new Feeder(env);
  // Segment 1: 100 ppm over windows 0–9 (18 s between the first and the last window's floor).
  feed.windows(G0, 0, 9, (w) => C + 1e-4 * w * WINDOW_NS);
  feed.row(G0 + 20 * S, C + 1e-4 * 20 * S);
  // Segment 2: from 22 s, 300 ppm. Its first three rows confirm the step and open its first
  // window at 22 s; from then on each window opens at the row that closed the one before, so
  // its six closed windows rest on rows at 22, 26, 28, 30, 32 and 34 s: a span of 12 s.
  const g = G0 + 22 * S;
  const after = (t: number): number => C + 2000 * MS + 3e-4 * (t - g);
  feed.windows(g, 0, 6, (w) => after(g + w * WINDOW_NS));
  assert.equal(said.steps.length, 1);
  assert.equal(env.windows, 16);
  // (1e-4 · 18 s + 3e-4 · 12 s) / 30 s
  const expected = (1e-4 * 18 + 3e-4 * 12) / 30;
  assert.ok(Math.abs(env.slope()! - expected) < 1e-12, `slope ${env.slope()} against ${expected}`);
});

test('while a step waits for its reads, a row that does not agree with it is placed by the estimate', () => {
  const { env } = envelope();
  const feed = new Feeder(env);
  // A lag of 150 ms: a row's lag plus the estimate is past the threshold, a difference is not.
  const lag = 150 * MS;
  feed.windows(G0, 0, 10, () => lag);
  let g = G0 + 22 * S;
  feed.row((g += 0.25 * S), lag + 500 * MS);
  assert.equal(feed.row((g += 0.25 * S), lag + 3 * MS), lag, 'a late row, not the step: the estimate');
  feed.row((g += 0.25 * S), lag + 500 * MS);
  assert.equal(feed.row((g += 0.25 * S), lag + THRESHOLD_NS), lag, 'exactly at the threshold: not the step');

  // A step down waiting, and a row far above the estimate: not the step either.
  const down = envelope();
  const feedDown = new Feeder(down.env);
  feedDown.windows(G0, 0, 10, () => C);
  g = G0 + 22 * S;
  feedDown.row((g += 0.25 * S), C - 500 * MS);
  assert.equal(feedDown.row((g += 0.25 * S), C + 500 * MS), C);
});

test("a step's rows are placed by the least lag among those before them, not the last", () => {
  const { env } = envelope();
  const feed = new Feeder(env);
  feed.windows(G0, 0, 10, () => C);
  const g = G0 + 22 * S;
  const after = C + 1000 * MS;
  feed.row(g, after);
  feed.row(g + 0.25 * S, after + 5 * MS);
  assert.equal(feed.row(g + 0.5 * S, after + 3 * MS), after);
});

test('a lag exactly the threshold below a fitted estimate is no step', () => {
  const { env, said } = envelope();
  const feed = new Feeder(env);
  feed.windows(G0, 0, 10, () => C + THRESHOLD_NS);
  let g = G0 + 22 * S;
  for (let k = 0; k < 4; k++) feed.row((g += 0.25 * S), C);
  assert.equal(said.seen, 0);
  for (let k = 0; k < 3; k++) feed.row((g += 0.25 * S), C - 1);
  assert.equal(said.seen, 1);
});

test('of two rows of a window with the same least lag, the first places the window in guest time', () => {
  const { env } = envelope();
  const feed = new Feeder(env);
  // Each window's floor comes twice, 1 s apart, on a 100 ppm slope from its first row: the fit
  // runs through the first ones, so its lag at any time is 1e-4 of the time since G0 over C.
  for (let w = 0; w <= 10; w++) {
    const start = G0 + w * WINDOW_NS;
    feed.row(start, C + 1e-4 * (start - G0));
    feed.row(start + S, C + 1e-4 * (start - G0));
  }
  assert.ok(Math.abs(env.lagAt(G0 + 30 * S)! - (C + 3 * MS)) < 1, `lag ${env.lagAt(G0 + 30 * S)}`);
});

test('a connection of one-window segments, a step after each, has no drift to give', () => {
  const { env, said } = envelope();
  const feed = new Feeder(env);
  let g = G0;
  for (let k = 0; k < 11; k++) {
    // Three reads on the new lag (each segment's first confirms the step), then the row that
    // closes its one window.
    const lag = C + k * 1000 * MS;
    for (let r = 0; r < 3; r++) feed.row((g += 0.25 * S), lag);
    feed.row((g += WINDOW_NS), lag);
  }
  assert.equal(said.seen, 10);
  assert.equal(env.windows, 11);
  assert.equal(env.slope(), null);
});
