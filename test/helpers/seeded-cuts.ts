// Seeded cut points for splitting a byte stream into reads, so a chunking test that fails
// fails the same way again and names the seed that did it.

/** mulberry32: a tiny, well-mixed 32-bit PRNG; returns floats in [0, 1). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Increasing offsets in (0, length) cutting `length` bytes into pieces of 1..maxPiece bytes. */
export function seededCuts(length: number, seed: number, maxPiece: number): number[] {
  const random = mulberry32(seed);
  const cuts: number[] = [];
  for (let at = 1 + Math.floor(random() * maxPiece); at < length; at += 1 + Math.floor(random() * maxPiece)) cuts.push(at);
  return cuts;
}

/** `bytes` cut at `cuts` into separate Buffers. */
export function splitAt(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  return [0, ...cuts].map((from, i) => bytes.subarray(from, cuts[i] ?? bytes.length));
}
