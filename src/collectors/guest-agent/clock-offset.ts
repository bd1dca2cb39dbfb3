// The guest's wall clock against the host's, taken from the first row of every connection and
// said as an event. A guest clock that is off (it boots from the RTC's whole second, a VM resumed
// from a snapshot, a live migration) is then visible in events.jsonl at a glance instead of
// hiding in the rows. It is what the guest claims: a hostile guest can send any clock it likes.
import { parseExactJson } from '../../sink/exact-json';

export interface ClockOffset {
  /** t_guest_wall_ns − t_wall_ns of the row, exact. */
  offset_ns: bigint;
  /** The same in seconds, for people. */
  offset_s: number;
  t_guest_wall_ns: bigint;
  t_wall_ns: bigint;
}

/** The offset in one output row (a line of telemetry-guest.jsonl), or null when it has no guest wall clock. */
export function clockOffsetOf(rowLine: string): ClockOffset | null {
  const row = parseExactJson(rowLine) as Record<string, unknown>;
  const guestWallNs = row['t_guest_wall_ns'];
  const hostWallNs = row['t_wall_ns'];
  if ((typeof guestWallNs !== 'bigint' && typeof guestWallNs !== 'number') || !Number.isInteger(Number(guestWallNs))) return null;
  if (typeof hostWallNs !== 'bigint' && typeof hostWallNs !== 'number') return null;
  const offsetNs = BigInt(guestWallNs) - BigInt(hostWallNs);
  return { offset_ns: offsetNs, offset_s: Number(offsetNs) / 1e9, t_guest_wall_ns: BigInt(guestWallNs), t_wall_ns: BigInt(hostWallNs) };
}
