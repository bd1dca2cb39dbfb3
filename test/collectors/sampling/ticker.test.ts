// The ticker is the time base of every periodic collector: these tests hold it to the origin
// grid, to counting (not hiding) late wake-ups, and to leaving a sleep at once on stop.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Counters } from '../../../src/collectors/contract';
import { ticks, type Tick, type TickerContext } from '../../../src/collectors/sampling/ticker';
import { ControlBlock, episodeClock } from '../../../src/control/control-block';
import { withDeadline } from '../../helpers/wait-for';

const NS_PER_MS = 1_000_000n;

interface Harness {
  ctx: TickerContext;
  stats: Record<string, number>;
  stop: AbortController;
}

function harness(control = ControlBlock.create()): Harness {
  const stats: Record<string, number> = {};
  const counters: Counters = {
    drop: () => assert.fail('the ticker drops nothing'),
    set: (name, value) => void (stats[name] = value),
    add: (name, n = 1) => void (stats[name] = (stats[name] ?? 0) + n),
  };
  const stop = new AbortController();
  return { ctx: { clock: episodeClock(control), stopSignal: stop.signal, counters }, stats, stop };
}

function busyFor(ms: number): void {
  const until = process.hrtime.bigint() + BigInt(ms) * NS_PER_MS;
  while (process.hrtime.bigint() < until);
}

test('ticks sit on the origin grid and wake close to their scheduled time', async (t) => {
  const intervalMs = 50;
  const { ctx, stop } = harness();
  t.after(() => stop.abort());
  const seen: Array<{ tick: Tick; lagNs: bigint }> = [];
  await withDeadline('four ticks', (async () => {
    for await (const tick of ticks(ctx, intervalMs)) {
      seen.push({ tick, lagNs: ctx.clock.monoNs() - tick.scheduledMonoNs });
      if (seen.length === 4) break;
    }
  })());
  for (const [i, { tick, lagNs }] of seen.entries()) {
    assert.equal(tick.scheduledMonoNs, BigInt(tick.index) * BigInt(intervalMs) * NS_PER_MS);
    assert.ok(lagNs >= 0n, `tick ${tick.index} woke ${lagNs} ns before its time`);
    assert.ok(lagNs < 25n * NS_PER_MS, `tick ${tick.index} woke ${lagNs} ns late`);
    const previous = seen[i - 1];
    if (previous !== undefined) assert.equal(tick.index, previous.tick.index + 1 + tick.missedBefore);
  }
});

test('a ticker started late joins the same grid at the next tick after now', async (t) => {
  const intervalMs = 20;
  // An episode whose origin lies 35 ms back: the ticks at 0 and 20 ms are past, 40 ms is next.
  const { ctx, stop } = harness(ControlBlock.create(process.hrtime.bigint() - 35n * NS_PER_MS));
  t.after(() => stop.abort());
  const startedMonoNs = ctx.clock.monoNs();
  const iterator = ticks(ctx, intervalMs)[Symbol.asyncIterator]();
  const first = await withDeadline('the first tick', iterator.next());
  assert.equal(first.done, false);
  const tick = first.value as Tick;
  assert.ok(tick.index >= 2, `first tick ${tick.index} lies before now`);
  assert.ok(tick.scheduledMonoNs >= startedMonoNs);
  assert.equal(tick.scheduledMonoNs, BigInt(tick.index) * BigInt(intervalMs) * NS_PER_MS);
  assert.equal(tick.missedBefore, 0);
});

test('ticks missed while the loop is blocked are counted and reported on the next tick', async (t) => {
  const intervalMs = 20;
  const { ctx, stats, stop } = harness();
  t.after(() => stop.abort());
  const iterator = ticks(ctx, intervalMs)[Symbol.asyncIterator]();
  const first = (await withDeadline('the first tick', iterator.next())).value as Tick;
  busyFor(intervalMs * 3.5);
  const next = (await withDeadline('the tick after the block', iterator.next())).value as Tick;
  assert.ok(next.missedBefore >= 2, `missedBefore ${next.missedBefore}`);
  assert.equal(next.index, first.index + 1 + next.missedBefore);
  assert.equal(stats['missed_ticks'], next.missedBefore);
  const after = (await withDeadline('a tick on time again', iterator.next())).value as Tick;
  assert.equal(after.index, next.index + 1 + after.missedBefore);
  assert.equal(stats['missed_ticks'], next.missedBefore + after.missedBefore);
});

test('stop while sleeping ends the ticker within 50 ms', async () => {
  const { ctx, stop } = harness();
  const iterator = ticks(ctx, 10_000)[Symbol.asyncIterator]();
  // next() runs the generator up to its first sleep before returning the promise.
  const pending = iterator.next();
  const stopAtNs = process.hrtime.bigint();
  stop.abort();
  const result = await withDeadline('the ticker to end on stop', pending, 1000);
  const tookMs = Number(process.hrtime.bigint() - stopAtNs) / 1e6;
  assert.equal(result.done, true);
  assert.ok(tookMs < 50, `took ${tookMs} ms`);
});

test('a ticker asked to start after stop yields nothing', async () => {
  const { ctx, stop } = harness();
  stop.abort();
  const result = await withDeadline('the ticker to end', ticks(ctx, 10)[Symbol.asyncIterator]().next(), 1000);
  assert.equal(result.done, true);
});
