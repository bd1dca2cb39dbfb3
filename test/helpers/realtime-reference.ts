// CLOCK_REALTIME as another process reads it, between two CLOCK_MONOTONIC reads (one clock for
// every process of the host), in integer ns: the truth a wall stamp is held to. python3 reads
// both clocks with clock_gettime_ns; of many triples, the tightest was not preempted.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

const TRIPLES = 200;
const SCRIPT = `
import time
for _ in range(${TRIPLES}):
    a = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
    w = time.clock_gettime_ns(time.CLOCK_REALTIME)
    b = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
    print(a, w, b)
`;

export interface RealtimeReading {
  /** CLOCK_MONOTONIC (absolute) at the middle of the bracket. */
  monoNs: bigint;
  wallNs: bigint;
  /** The wall reading was taken within ± this of monoNs. */
  halfWidthNs: bigint;
}

/** The tightest of TRIPLES readings taken now by a python3 child. */
export function realtimeReference(): RealtimeReading {
  const lines = execFileSync('python3', ['-c', SCRIPT], { encoding: 'utf8' }).trim().split('\n');
  assert.equal(lines.length, TRIPLES);
  return lines
    .map((line) => {
      const [a, w, b] = line.split(' ').map(BigInt) as [bigint, bigint, bigint];
      return { monoNs: a + (b - a) / 2n, wallNs: w, halfWidthNs: (b - a + 1n) / 2n };
    })
    .reduce((best, r) => (r.halfWidthNs < best.halfWidthNs ? r : best));
}

/** Asserts that wall = monotonic + `offsetNs` agrees with CLOCK_REALTIME within `uncertaintyNs`; returns the error. */
export function assertWallOffset(offsetNs: bigint, uncertaintyNs: bigint): bigint {
  const reference = realtimeReference();
  const errorNs = reference.monoNs + offsetNs - reference.wallNs;
  const allowedNs = uncertaintyNs + reference.halfWidthNs;
  assert.ok(
    errorNs <= allowedNs && -errorNs <= allowedNs,
    `wall stamp − CLOCK_REALTIME = ${errorNs} ns; anchor ± ${uncertaintyNs} ns, reference ± ${reference.halfWidthNs} ns`,
  );
  return errorNs;
}
