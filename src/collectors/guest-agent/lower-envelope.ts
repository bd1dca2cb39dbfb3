// The line under a cloud of (guest time, lag) points. Delivery delay only ever adds to a lag, so
// the least-delayed points are the truth and the line resting on them is the envelope. Every fit
// runs on centred values in seconds and milliseconds: on raw nanoseconds (x near 1e13, x² near
// 1e26) the normal equations lose every digit of a slope to rounding, which is how a plain fit
// returned 10/2^20 ppm.

const NS_PER_S = 1e9;
const NS_PER_MS = 1e6;

export interface EnvelopeLine {
  /** A point the line passes through (x in ns of guest time, y its lag in ns). */
  x0Ns: number;
  y0Ns: number;
  /** d(lag)/dx: ns of lag per ns of guest time. */
  slope: number;
  /** The smallest distance above the line of a point it does not rest on, in ns (0: none). */
  nextResidualNs: number;
}

/**
 * The line that no point is below and that is closest to all of them (least sum of distances
 * above it): the edge of the points' lower convex hull over their mean x. Least squares through
 * the points would follow their delays; this rests on the least-delayed ones only. Points must
 * come in increasing x. Null with fewer than two points or x all equal.
 */
export function lowerEnvelope(xsNs: readonly number[], ysNs: readonly number[]): EnvelopeLine | null {
  const n = xsNs.length;
  if (n < 2 || xsNs[n - 1] === xsNs[0]) return null;
  // Centred: x in s and y in ms relative to the first point, so no digit is lost to magnitude.
  const x = xsNs.map((v) => (v - xsNs[0]!) / NS_PER_S);
  const y = ysNs.map((v) => (v - ysNs[0]!) / NS_PER_MS);
  const hull: number[] = [];
  for (let i = 0; i < n; i++) {
    while (hull.length >= 2 && cross(x, y, hull[hull.length - 2]!, hull[hull.length - 1]!, i) <= 0) hull.pop();
    hull.push(i);
  }
  const meanX = x.reduce((sum, v) => sum + v / n, 0);
  let edge = 0;
  while (edge < hull.length - 2 && x[hull[edge + 1]!]! < meanX) edge++;
  const a = hull[edge]!;
  const b = hull[edge + 1]!;
  const slopeMsPerS = (y[b]! - y[a]!) / (x[b]! - x[a]!);
  // The line rests on points a and b; the next-best evidence is the closest of the others.
  let nextResidual = Infinity;
  x.forEach((xi, i) => {
    if (i !== a && i !== b) nextResidual = Math.min(nextResidual, y[i]! - y[a]! - slopeMsPerS * (xi - x[a]!));
  });
  const nextResidualNs = nextResidual === Infinity ? 0 : Math.max(0, nextResidual) * NS_PER_MS;
  return { x0Ns: xsNs[a]!, y0Ns: ysNs[a]!, slope: slopeMsPerS / 1e3, nextResidualNs };
}

// > 0 when o → a → b turns left (b is above the line through o and a).
function cross(x: readonly number[], y: readonly number[], o: number, a: number, b: number): number {
  return (x[a]! - x[o]!) * (y[b]! - y[o]!) - (y[a]! - y[o]!) * (x[b]! - x[o]!);
}

/** The line's lag at guest time `xNs`. */
export function lagAt(line: EnvelopeLine, xNs: number): number {
  return line.y0Ns + line.slope * (xNs - line.x0Ns);
}
