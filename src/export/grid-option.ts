// --grid: the width of a features bin, written as a count and a unit (500ms, 1s, 1m).
import { VmtelError } from '../errors';

const UNIT_NS: Record<string, bigint> = { ns: 1n, us: 1_000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n };
const GRID = /^([1-9]\d{0,12})(ns|us|ms|s|m)$/;

/** The bin width in ns; VMTEL_USAGE for anything but a positive count and a unit. */
export function parseGrid(text: string): bigint {
  const match = GRID.exec(text);
  if (match === null) throw new VmtelError('VMTEL_USAGE', `--grid: expected a positive integer and a unit (ns, us, ms, s, m), e.g. 1s or 500ms; got "${text}"`);
  return BigInt(match[1]!) * UNIT_NS[match[2]!]!;
}
