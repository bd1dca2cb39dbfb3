// How the wall anchor chooses among millisecond edges, against scripted clocks: the two clocks are
// the anchor's only input, so each script fixes what every read returns (each read advances the
// virtual time by the step of the millisecond it falls in) and the true offset is known. Real
// clocks cannot be made to bracket wide or narrow on purpose; wall-anchor.test.ts checks them.
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { measureWallAnchor, type WallAnchor } from '../../src/control/wall-anchor';

const NS_PER_MS = 1_000_000n;
// wall = monotonic + this; the clocks start 0.4 ms into a millisecond.
const TRUE_OFFSET_NS = 1_700_000_000_000n * NS_PER_MS + 400_000n;

interface Run {
  anchor?: WallAnchor;
  error?: unknown;
  /** Wall milliseconds that passed while the anchor was measured: one per edge it spun for. */
  elapsedMs: number;
  /** Monotonic ns of each wall millisecond edge that passed, in order. */
  edgesNs: bigint[];
}

/**
 * Measures the anchor on scripted clocks. `stepNsOfMs(k)`: ns per clock read during the k-th
 * wall millisecond of the run; `wallTickMs`: how many ms the wall clock moves at once.
 */
function measureOnScript(stepNsOfMs: (k: number) => bigint, wallTickMs = 1n): Run {
  let monoNs = 0n;
  const wallMsAt = (ns: bigint): bigint => ((ns + TRUE_OFFSET_NS) / NS_PER_MS / wallTickMs) * wallTickMs;
  const startMs = wallMsAt(0n);
  const edgesNs: bigint[] = [];
  const advance = (): bigint => {
    const before = wallMsAt(monoNs);
    monoNs += stepNsOfMs(Number(before - startMs));
    const after = wallMsAt(monoNs);
    if (after !== before) edgesNs.push(((monoNs + TRUE_OFFSET_NS) / NS_PER_MS) * NS_PER_MS - TRUE_OFFSET_NS);
    return monoNs;
  };
  const hrtime = mock.method(process.hrtime, 'bigint', () => advance());
  const now = mock.method(Date, 'now', () => Number(wallMsAt(advance())));
  const run: Run = { elapsedMs: 0, edgesNs };
  try {
    run.anchor = measureWallAnchor();
  } catch (err) {
    run.error = err;
  } finally {
    hrtime.mock.restore();
    now.mock.restore();
  }
  run.elapsedMs = Number(wallMsAt(monoNs) - startMs);
  return run;
}

function assertTrueOffsetWithin(anchor: WallAnchor): void {
  const errorNs = anchor.offsetNs - TRUE_OFFSET_NS;
  assert.ok(errorNs <= anchor.uncertaintyNs && -errorNs <= anchor.uncertaintyNs, `offset off by ${errorNs} ns, bound ${anchor.uncertaintyNs} ns`);
}

test('three edges are enough when the tightest is within 1000 ns: a bracket of 4 reads 500 ns apart is ±1000 ns', () => {
  const run = measureOnScript(() => 500n);
  assert.equal(run.elapsedMs, 3, 'edges spun for');
  assert.equal(run.anchor?.uncertaintyNs, 1000n);
  assertTrueOffsetWithin(run.anchor!);
  assert.ok(run.anchor.measuredAtNs > run.edgesNs[0]! - 1000n && run.anchor.measuredAtNs < run.edgesNs[0]! + 1000n, 'ties keep the first edge');
});

test('the tightest edge is kept, the first of equals: a wide first bracket, then two narrow ones', () => {
  const run = measureOnScript((k) => (k === 0 ? 2000n : 100n));
  assert.equal(run.elapsedMs, 3);
  assert.equal(run.anchor?.uncertaintyNs, 200n);
  assertTrueOffsetWithin(run.anchor!);
  const [, second] = run.edgesNs;
  assert.ok(run.anchor.measuredAtNs >= second! - 200n && run.anchor.measuredAtNs <= second! + 200n, `measured at ${run.anchor.measuredAtNs}, the second edge at ${second}`);
});

test('brackets all wider than 1000 ns: ten edges are measured, not more, and the tightest kept', () => {
  const run = measureOnScript((k) => (k === 6 ? 600n : 700n));
  assert.equal(run.elapsedMs, 10);
  // The edge after millisecond 6 is bracketed by two reads of each step: 2 × (600 + 700) / 2.
  assert.equal(run.anchor?.uncertaintyNs, 1300n);
  assertTrueOffsetWithin(run.anchor!);
});

test('a wall clock that moves 2 ms at a time gives no edge: 50 tries, then a clear error', () => {
  const run = measureOnScript(() => 1000n, 2n);
  assert.equal(run.anchor, undefined);
  assert.match(String(run.error), /the wall clock did not tick over one millisecond at a time/);
  assert.equal(run.elapsedMs, 100, 'two milliseconds per try');
});
