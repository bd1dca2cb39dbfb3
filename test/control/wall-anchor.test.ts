import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { ControlBlock } from '../../src/control/control-block';
import { measureWallAnchor } from '../../src/control/wall-anchor';

// Another process reads CLOCK_REALTIME between two CLOCK_MONOTONIC reads (one clock for every
// process of the host), in integer ns: the truth the anchor is held to. Many triples, so one of
// them was not preempted between its reads.
const REFERENCE_TRIPLES = 200;
const REFERENCE = `
import time
for _ in range(${REFERENCE_TRIPLES}):
    a = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
    w = time.clock_gettime_ns(time.CLOCK_REALTIME)
    b = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
    print(a, w, b)
`;

interface Reading {
  monoNs: bigint;
  wallNs: bigint;
  halfWidthNs: bigint;
}

// The reference's tightest triple: the wall reading and the monotonic midpoint of its bracket.
function tightestReference(): Reading {
  const lines = execFileSync('python3', ['-c', REFERENCE], { encoding: 'utf8' }).trim().split('\n');
  const readings = lines.map((line) => {
    const [a, w, b] = line.split(' ').map(BigInt) as [bigint, bigint, bigint];
    return { monoNs: a + (b - a) / 2n, wallNs: w, halfWidthNs: (b - a + 1n) / 2n };
  });
  assert.equal(readings.length, REFERENCE_TRIPLES);
  return readings.reduce((best, r) => (r.halfWidthNs < best.halfWidthNs ? r : best));
}

test('a wall stamp agrees with CLOCK_REALTIME read by another process within the anchor\'s stated bound', () => {
  const anchor = measureWallAnchor();
  const control = ControlBlock.create(undefined, anchor.offsetNs);
  const reference = tightestReference();
  const stampNs = control.wallNsAt(reference.monoNs - control.originNs);
  const errorNs = stampNs - reference.wallNs;
  const allowedNs = anchor.uncertaintyNs + reference.halfWidthNs;
  assert.ok(
    errorNs <= allowedNs && -errorNs <= allowedNs,
    `wall stamp − CLOCK_REALTIME = ${errorNs} ns; anchor ± ${anchor.uncertaintyNs} ns, reference ± ${reference.halfWidthNs} ns`,
  );
});

test('the anchor is measured to a few microseconds at worst, and a second measurement agrees within both bounds', () => {
  const first = measureWallAnchor();
  const second = measureWallAnchor();
  // Three brackets of a few hundred ns each; a bound this wide means every one was preempted.
  assert.ok(first.uncertaintyNs > 0n && first.uncertaintyNs < 5_000n, `uncertainty ${first.uncertaintyNs} ns`);
  const apartNs = second.offsetNs - first.offsetNs;
  const allowedNs = first.uncertaintyNs + second.uncertaintyNs;
  assert.ok(apartNs <= allowedNs && -apartNs <= allowedNs, `two anchors ${apartNs} ns apart, bounds ${allowedNs} ns`);
});
