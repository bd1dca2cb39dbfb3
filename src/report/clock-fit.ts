// The guest clock's drift, fitted on the least-delayed row of each window (delivery delay only
// ever makes a row look late, so the least-delayed row is the closest to the true offset).
// Steps (the guest's clock set, or stopped across a VM pause) are found first, each reported on
// its own; the drift is then one slope fitted jointly over the stretches between steps, each
// with its own intercept, so a step never leaks into the slope. Values are centred per stretch
// and taken in seconds and microseconds before any product, so the sums stay well conditioned.

/** Least-delayed offsets per window: time on the host timeline (ns) and offset (ns). */
export interface OffsetPoints {
  tNs: Float64Array;
  offsetNs: Float64Array;
  length: number;
}

/** Index ranges [start, end) of points between steps. */
export type Stretch = [number, number];

// A step must hold for this many windows on both sides: one late window is not a step.
const CONFIRM_WINDOWS = 3;

/** Indices i where the offset steps between point i−1 and point i by more than `thresholdNs`. */
export function findSteps(points: OffsetPoints, thresholdNs: number): number[] {
  const steps: number[] = [];
  let lastStep = 0;
  for (let i = 1; i < points.length; i++) {
    if (Math.abs(points.offsetNs[i]! - points.offsetNs[i - 1]!) <= thresholdNs) continue;
    const before = median(points.offsetNs, Math.max(lastStep, i - CONFIRM_WINDOWS), i);
    const after = median(points.offsetNs, i, Math.min(points.length, i + CONFIRM_WINDOWS));
    if (Math.abs(after - before) > thresholdNs) {
      steps.push(i);
      lastStep = i;
    }
  }
  return steps;
}

/** Size of the step at `i`: the median offset just after it minus the median just before. */
export function stepSizeNs(points: OffsetPoints, i: number): number {
  return median(points.offsetNs, i, Math.min(points.length, i + CONFIRM_WINDOWS)) - median(points.offsetNs, Math.max(0, i - CONFIRM_WINDOWS), i);
}

export function stretchesBetween(steps: readonly number[], length: number): Stretch[] {
  const bounds = [0, ...steps, length];
  return bounds.slice(1).map((end, k) => [bounds[k]!, end] as Stretch).filter(([start, end]) => end > start);
}

export interface Fit {
  /** Slope in ppm; null with fewer than two points in every stretch. */
  ppm: number | null;
  /** The slope's standard error in ppm (null without a degree of freedom left): short or noisy episodes say how little they know. */
  sePpm: number | null;
  points: number;
  /** Per stretch: mean time (s) and mean offset (µs), for drawing the fitted lines. */
  centres: Array<{ stretch: Stretch; tMeanS: number; offsetMeanUs: number }>;
}

/** One slope over `stretches` (each with its own intercept), using only points with tNs in [fromNs, toNs). */
export function pooledFit(points: OffsetPoints, stretches: readonly Stretch[], fromNs = -Infinity, toNs = Infinity): Fit {
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  let used = 0;
  let intercepts = 0;
  const centres: Fit['centres'] = [];
  for (const stretch of stretches) {
    let n = 0;
    let sumT = 0;
    let sumY = 0;
    for (let i = stretch[0]; i < stretch[1]; i++) {
      const t = points.tNs[i]!;
      if (t < fromNs || t >= toNs) continue;
      n += 1;
      sumT += t / 1e9;
      sumY += points.offsetNs[i]! / 1e3;
    }
    if (n === 0) continue;
    const tMeanS = sumT / n;
    const offsetMeanUs = sumY / n;
    centres.push({ stretch, tMeanS, offsetMeanUs });
    if (n < 2) continue;
    for (let i = stretch[0]; i < stretch[1]; i++) {
      const t = points.tNs[i]!;
      if (t < fromNs || t >= toNs) continue;
      const dx = t / 1e9 - tMeanS;
      const dy = points.offsetNs[i]! / 1e3 - offsetMeanUs;
      sxy += dx * dy;
      sxx += dx * dx;
      syy += dy * dy;
    }
    used += n;
    intercepts += 1;
  }
  // µs per s is ppm. One degree of freedom goes to each stretch's intercept and one to the slope.
  const ppm = sxx > 0 ? sxy / sxx : null;
  const freedom = used - intercepts - 1;
  const sePpm = ppm === null || freedom <= 0 ? null : Math.sqrt(Math.max(0, syy - ppm * sxy) / freedom / sxx);
  return { ppm, sePpm, points: used, centres };
}

/** offset − fitted line of every point in the fitted stretches, in ms, with the point's time. */
export function fitResidualsMs(points: OffsetPoints, fit: Fit): Array<{ tNs: number; residualMs: number }> {
  const residuals: Array<{ tNs: number; residualMs: number }> = [];
  if (fit.ppm === null) return residuals;
  for (const { stretch, tMeanS, offsetMeanUs } of fit.centres) {
    for (let i = stretch[0]; i < stretch[1]; i++) {
      const predictedUs = offsetMeanUs + fit.ppm * (points.tNs[i]! / 1e9 - tMeanS);
      residuals.push({ tNs: points.tNs[i]!, residualMs: (points.offsetNs[i]! / 1e3 - predictedUs) / 1e3 });
    }
  }
  return residuals;
}

function median(values: Float64Array, from: number, to: number): number {
  const sorted = Array.from(values.subarray(from, to)).sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
}
