// JSON.stringify throws on bigint, yet stamps and QEMU's u64 counters are bigints that must be
// written as exact integers, and Node 20 has no JSON.rawJSON. So JSON.stringify's replacer turns
// each bigint into a string behind a marker, and each such quoted string is then replaced by the
// bare digits. The walk stays in V8's native JSON.stringify: a hand-written recursive serialiser
// meets every row shape of a collector, which keeps V8 deoptimising and recompiling it, a cost an
// idle episode would pay on every thread. Used for events and host-side rows, never on the guest
// row path.

// Random per thread and never written out (every marked bigint is replaced), so no string of
// input (a hostile guest's text quoted in an event) can pose as a marked bigint. Math.random's
// state is seeded from the OS and never seen outside; node:crypto would cost every worker 5 ms
// of its start. U+2063 (invisible separator) is written by JSON.stringify as itself.
const BIGINT_MARKER = `\u2063${Array.from({ length: 4 }, () => Math.floor(Math.random() * 2 ** 32).toString(16).padStart(8, '0')).join('')}:`;
const MARKED_BIGINT = new RegExp(`"${BIGINT_MARKER}(-?\\d+)"`, 'g');

let sawBigint = false;

function markBigint(_key: string, value: unknown): unknown {
  if (typeof value !== 'bigint') return value;
  sawBigint = true;
  return `${BIGINT_MARKER}${value}`;
}

/** One JSON text, without a trailing newline, as JSON.stringify writes it, bigints as digits. */
export function toJson(value: unknown): string {
  sawBigint = false;
  // JSON.stringify gives undefined for a value with no JSON form (undefined, a function).
  const text = JSON.stringify(value, markBigint) ?? 'null';
  return sawBigint ? text.replace(MARKED_BIGINT, '$1') : text;
}
