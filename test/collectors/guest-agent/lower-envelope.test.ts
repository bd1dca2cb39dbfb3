// The line under a cloud of (guest time, lag) points, on point sets small enough to work out by
// hand: which hull edge it rests on, its slope, the next-best point's distance above it, and the
// cases with no line at all. x in ns of guest time, y in ns of lag; the expected figures are
// worked in the module's own units (s and ms from the first point) in the comments.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lagAt, lowerEnvelope } from '../../../src/collectors/guest-agent/lower-envelope';

const S = 1e9;
const MS = 1e6;

test('rests on the lower hull edge over the mean x, and measures the next-best point above it', () => {
  // (0 s, 0 ms) (1, −4) (2, −3) (3, +4) from (0 s, 5 ms): a convex chain, every point on the hull.
  // The mean x is 1.5, inside the edge from x=1 to x=2: slope +1 ms/s. Above that line the first
  // point is 0 − (−4) − 1·(0 − 1) = 5 ms, the last 4 − (−4) − 1·(3 − 1) = 6 ms: the next best is 5.
  const line = lowerEnvelope([0, 1 * S, 2 * S, 3 * S], [5 * MS, 1 * MS, 2 * MS, 9 * MS]);
  assert.deepEqual(line, { x0Ns: 1 * S, y0Ns: 1 * MS, slope: 1e-3, nextResidualNs: 5 * MS });
});

test('a point below the chord of its neighbours replaces the middle of the hull', () => {
  // (0, 0) (1, 5) (2, 1) ms: the middle point is above the line from the first to the last, so
  // the hull is the first and the last, slope 0.5 ms/s, and the middle is 5 − 0.5 = 4.5 ms above.
  const line = lowerEnvelope([0, 1 * S, 2 * S], [0, 5 * MS, 1 * MS]);
  assert.deepEqual(line, { x0Ns: 0, y0Ns: 0, slope: 0.5e-3, nextResidualNs: 4.5 * MS });
});

test('points on one line are one edge: the middle ones leave the hull and rest on it', () => {
  // (0, 0) (1, 0) (2, 0) (3, 5): the middle of three collinear points leaves the hull, whose first
  // edge, (0, 0)–(2, 0), spans the mean x 1.5. Kept, the hull's edge over 1.5 would start at x=1.
  const line = lowerEnvelope([0, 1 * S, 2 * S, 3 * S], [0, 0, 0, 5 * MS]);
  assert.deepEqual(line, { x0Ns: 0, y0Ns: 0, slope: 0, nextResidualNs: 0 });
});

test('a hull point exactly at the mean x ends the edge before it', () => {
  // (0, 0) (1, −1) (2, 0): mean x 1, which is where the first edge ends: that edge (slope −1 ms/s)
  // is taken, not the one after it (+1 ms/s). The third point is 0 − 0 − (−1)(2 − 0) = 2 ms above.
  const line = lowerEnvelope([0, 1 * S, 2 * S], [0, -1 * MS, 0]);
  assert.deepEqual(line, { x0Ns: 0, y0Ns: 0, slope: -1e-3, nextResidualNs: 2 * MS });
});

test('two points are a line with no next-best point', () => {
  assert.deepEqual(lowerEnvelope([4 * S, 6 * S], [3 * MS, 2 * MS]), { x0Ns: 4 * S, y0Ns: 3 * MS, slope: -0.5e-3, nextResidualNs: 0 });
});

test('fewer than two points, or every x the same, is no line', () => {
  assert.equal(lowerEnvelope([], []), null);
  assert.equal(lowerEnvelope([1 * S], [1 * MS]), null);
  assert.equal(lowerEnvelope([7 * S, 7 * S, 7 * S], [1 * MS, 2 * MS, 3 * MS]), null);
});

test('a 50 ppm drift an hour into a guest (x near 1e13 ns) keeps its slope to 1e-12', () => {
  // Two windows a minute of least lags on an exact 50 ppm line, some points raised by a delay.
  const xs: number[] = [];
  const ys: number[] = [];
  for (let k = 0; k < 30; k++) {
    const x = 3.6e12 + k * 2 * S;
    xs.push(x);
    ys.push(3 * MS + 50e-6 * (x - 3.6e12) + (k % 3 === 1 ? 2 * MS : 0));
  }
  const line = lowerEnvelope(xs, ys)!;
  assert.ok(Math.abs(line.slope - 50e-6) < 1e-12, `slope ${line.slope}`);
  // The raised points are 2 ms above; those on the line are the next best, at 0.
  assert.ok(line.nextResidualNs < 1, `next residual ${line.nextResidualNs}`);
  assert.ok(Math.abs(lagAt(line, xs[29]!) - ys[29]!) < 1, 'the line passes through the last point on it');
});

test('lagAt follows the line from its point', () => {
  const line = { x0Ns: 1 * S, y0Ns: 1 * MS, slope: 1e-3, nextResidualNs: 0 };
  assert.equal(lagAt(line, 3 * S), 3 * MS);
  assert.equal(lagAt(line, 0), 0);
});
