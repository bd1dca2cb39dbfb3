// Where the host's wall clock (CLOCK_REALTIME) stands against CLOCK_MONOTONIC, measured to a
// fraction of a microsecond with a bound that is measured too. Node reads CLOCK_REALTIME only as
// Date.now(), whole milliseconds; performance.timeOrigin + now() has microsecond digits but its
// origin was found 0.4–0.8 ms ahead of the real clock. A millisecond *edge* of Date.now() is an
// exact wall instant, though: spinning on Date.now() between two monotonic reads brackets the
// instant it ticks over, and the tightest of a few brackets gives the offset and its error.

// Three edges cost 2–3 ms of spinning at start; the tightest of three is usually within a few
// hundred ns, but on a loaded machine every bracket is sometimes stretched by preemption (the first,
// still interpreted, is the slowest): then edges are added until one is within GOOD_ENOUGH_NS,
// MAX_EDGES at most (10 ms).
const ANCHOR_EDGES = 3;
const MAX_EDGES = 10;
const GOOD_ENOUGH_NS = 1000n;
// An edge where the wall clock moved by more than 1 ms is not a bracket; at most this many are tried.
const MAX_TRIES = 50;
const NS_PER_MS = 1_000_000n;

export interface WallAnchor {
  /** CLOCK_REALTIME − CLOCK_MONOTONIC, in ns: wall = monotonic + offset. */
  offsetNs: bigint;
  /** Half the tightest bracket: the true offset is within ± this of offsetNs. */
  uncertaintyNs: bigint;
  /** CLOCK_MONOTONIC (absolute) when the tightest edge was seen. */
  measuredAtNs: bigint;
}

/** Brackets millisecond edges of the wall clock and keeps the tightest. */
export function measureWallAnchor(): WallAnchor {
  let best: WallAnchor | null = null;
  const enough = (kept: number): boolean => kept >= MAX_EDGES || (kept >= ANCHOR_EDGES && best !== null && best.uncertaintyNs <= GOOD_ENOUGH_NS);
  for (let tries = 0, kept = 0; !enough(kept) && tries < MAX_TRIES; tries++) {
    const edge = bracketOneEdge();
    if (edge === null) continue;
    kept++;
    if (best === null || edge.uncertaintyNs < best.uncertaintyNs) best = edge;
  }
  if (best === null) throw new Error('the wall clock did not tick over one millisecond at a time');
  return best;
}

// Reads alternate: monotonic, wall, monotonic, wall… The wall read that first shows the next
// millisecond was made after the edge, the one before it before the edge, so the edge lies between
// the monotonic read before the earlier wall read and the one after the later. Null when the wall
// clock moved by more than a millisecond (preempted across an edge, or the clock was stepped).
function bracketOneEdge(): WallAnchor | null {
  let beforeNs = process.hrtime.bigint();
  const startMs = Date.now();
  for (;;) {
    const readNs = process.hrtime.bigint();
    const nowMs = Date.now();
    if (nowMs === startMs) {
      beforeNs = readNs;
      continue;
    }
    const afterNs = process.hrtime.bigint();
    if (nowMs !== startMs + 1) return null;
    const widthNs = afterNs - beforeNs;
    const edgeMonoNs = beforeNs + widthNs / 2n;
    return { offsetNs: BigInt(nowMs) * NS_PER_MS - edgeMonoNs, uncertaintyNs: (widthNs + 1n) / 2n, measuredAtNs: edgeMonoNs };
  }
}
