// The bounded figures a report keeps for any episode length: per-bucket min/max that keeps a lone
// spike and a short gap visible after many halvings, and percentiles within 1 %.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LogHistogram } from '../../src/report/log-histogram';
import { MinMaxSeries } from '../../src/report/min-max-series';

test('a day of 1 s samples stays within 2,048 buckets and keeps one spike and a gap of a few buckets', () => {
  const series = new MinMaxSeries(0, 1e8);
  const daySeconds = 86_400;
  for (let s = 0; s < daySeconds; s++) {
    if (s >= 50_000 && s < 50_180) continue; // a three-minute gap: over two buckets of 51.2 s
    series.add(s * 1e9, s === 70_000 ? 900 : 1000 + (s % 3));
  }
  series.extendTo(daySeconds * 1e9);
  const points = series.points();
  assert.ok(points.tS.length <= 2048 && points.tS.length > 1024, `${points.tS.length} buckets`);
  assert.equal(Math.min(...points.min.filter((v): v is number => v !== null)), 900, 'the spike survives');
  assert.equal(Math.max(...points.max.filter((v): v is number => v !== null)), 1002);
  const bucketS = points.bucketS;
  const gapBuckets = points.tS.map((t, i) => [t, points.count[i]!] as const).filter(([t, n]) => n === 0 && t >= 50_000 - bucketS && t < 50_180);
  assert.ok(gapBuckets.length >= 1, `the one-minute gap is an empty bucket at ${bucketS} s per bucket`);
  assert.equal(points.count.reduce((a, b) => a + b, 0), daySeconds - 180, 'every sample counted once');
});

test('percentiles are within 1 % of the exact figure and the max is exact', () => {
  const histogram = new LogHistogram();
  const values = Array.from({ length: 100_000 }, (_, i) => 0.5 + ((i * 7919) % 100_000) / 1000);
  for (const v of values) histogram.add(v);
  const sorted = [...values].sort((a, b) => a - b);
  for (const q of [0.5, 0.99]) {
    const exact = sorted[Math.ceil(q * sorted.length) - 1]!;
    const estimate = histogram.quantile(q)!;
    assert.ok(Math.abs(estimate - exact) / exact <= 0.01, `p${q * 100}: ${estimate} vs ${exact}`);
  }
  assert.equal(histogram.max, sorted.at(-1));
  assert.equal(new LogHistogram().quantile(0.5), null);
});
