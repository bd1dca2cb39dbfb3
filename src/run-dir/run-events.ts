// events.jsonl read back: every lifecycle event of every collector and of the orchestrator, in
// file order (which is write order, not strictly time order: sort by tMonoNs where it matters).
// Events are few and small, so each is parsed whole, exactly: a 19-digit stamp stays a bigint.
import { join } from 'node:path';
import { EVENTS_FILE } from '../run-dir-files';
import { parseExactJson, type ExactJson } from '../sink/exact-json';
import { forEachLine } from './line-chunks';

export interface RunEvent {
  /** On the episode's timeline (ns since its origin). */
  tMonoNs: bigint;
  tWallNs: bigint | null;
  source: string;
  event: string;
  /** The whole line as read, head included. */
  fields: Record<string, ExactJson>;
}

export interface EventsRead {
  lines: number;
  /** Lines that are not an event object with a stamp, a source and a name (counted, skipped). */
  unreadable: number;
  unterminatedBytes: number;
}

/** Calls `onEvent` for each event of the run dir's events.jsonl, in file order. */
export async function forEachEvent(runDir: string, onEvent: (event: RunEvent) => void): Promise<EventsRead> {
  let unreadable = 0;
  const totals = await forEachLine(join(runDir, EVENTS_FILE), (bytes, start, end) => {
    const event = eventOf(bytes.toString('utf8', start, end));
    if (event === null) unreadable += 1;
    else onEvent(event);
  });
  return { lines: totals.lines, unreadable: unreadable + totals.oversizedLines, unterminatedBytes: totals.unterminatedBytes };
}

function eventOf(line: string): RunEvent | null {
  let value: ExactJson;
  try {
    value = parseExactJson(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const { t_mono_ns: tMono, t_wall_ns: tWall, source, event } = value;
  if (!isInteger(tMono) || typeof source !== 'string' || typeof event !== 'string') return null;
  return { tMonoNs: BigInt(tMono), tWallNs: isInteger(tWall) ? BigInt(tWall) : null, source, event, fields: value };
}

function isInteger(value: ExactJson | undefined): value is number | bigint {
  return typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value));
}
