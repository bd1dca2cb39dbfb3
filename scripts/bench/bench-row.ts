// The rows the load generator sends, built so that any row can be rebuilt from its seq and its
// send stamp alone: the harness checks every output line byte for byte against what was sent
// without the generator having to keep or ship a copy of 40 MB of rows.

/** The guest wall clock is the send stamp plus this, so it is a realistic 19-digit number. */
export const GUEST_WALL_OFFSET_NS = 1_764_000_000_000_000_000n;
// Filler for the `pad` field; longer than any row the benchmarks ask for.
const PAD = 'x'.repeat(64 * 1024);

/** One row of exactly `rowBytes` bytes, "\n" included, sent at `sentNs` (CLOCK_MONOTONIC). */
export function benchRow(seq: number, sentNs: string, sentWallNs: string, rowBytes: number): string {
  const body = `{"seq":${seq},"t_guest_mono_ns":${sentNs},"t_guest_wall_ns":${sentWallNs},"pad":"`;
  const padChars = rowBytes - body.length - 3;
  if (padChars < 0) throw new RangeError(`rows of ${rowBytes} bytes are too short for seq ${seq}`);
  return `${body}${PAD.slice(0, padChars)}"}\n`;
}

/** `benchRow` for a bigint stamp (the harness's side). */
export function expectedRow(seq: number, sentNs: bigint, rowBytes: number): string {
  return benchRow(seq, sentNs.toString(), (sentNs + GUEST_WALL_OFFSET_NS).toString(), rowBytes);
}

// An output row is the host's head, then `,"seq":…`: the guest's members after its "{".
const GUEST_PART = ',"seq":';
const SEQ_AND_STAMP = /^,"seq":(\d+),"t_guest_mono_ns":(\d+),/;

export interface OutputRow {
  seq: number;
  sentNs: bigint;
  /** The host's stamp, as written (relative to the episode's origin). */
  tMonoNs: bigint;
  /** Whether the guest's part of the line is byte for byte the row that was sent. */
  exact: boolean;
}

/** Reads one output line of a bench row; null when it is not one. */
export function readOutputRow(line: string, rowBytes: number): OutputRow | null {
  const guestAt = line.indexOf(GUEST_PART);
  const head = /^\{"t_mono_ns":(\d+),/.exec(line);
  const match = guestAt < 0 ? null : SEQ_AND_STAMP.exec(line.slice(guestAt, guestAt + 80));
  if (head === null || match === null) return null;
  const seq = Number(match[1]);
  const sentNs = BigInt(match[2]!);
  const sent = expectedRow(seq, sentNs, rowBytes);
  // After the head's ",": the guest's members exactly as sent, its "{" and "\n" excepted.
  const exact = line.slice(guestAt + 1) === sent.slice(1, -1);
  return { seq, sentNs, tMonoNs: BigInt(head[1]!), exact };
}
