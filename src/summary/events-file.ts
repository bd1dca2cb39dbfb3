// events.jsonl read for the summary: each line's name, source, stamp and the few fields the
// summary shows. A line that does not parse (the torn tail of a crash, or one being written
// now) is counted, not fatal: a summary of a damaged episode is when it is needed most.
import { readFileSync } from 'node:fs';

export interface SummaryEvent {
  source: string;
  event: string;
  /** Wall stamp as a Number: JSON rounds it to ~256 ns, far below what a summary shows. */
  tWallNs: number;
  fields: Record<string, unknown>;
}

export interface EventsFile {
  events: SummaryEvent[];
  unreadableLines: number;
}

/** The events of `path`; none when the file does not exist. */
export function readEventsFile(path: string): EventsFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { events: [], unreadableLines: 0 };
    throw err;
  }
  const events: SummaryEvent[] = [];
  let unreadableLines = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    try {
      const fields = JSON.parse(line) as Record<string, unknown>;
      events.push({ source: String(fields['source']), event: String(fields['event']), tWallNs: Number(fields['t_wall_ns']), fields });
    } catch {
      unreadableLines += 1;
    }
  }
  return { events, unreadableLines };
}

/** How often each event happened, most frequent first; for qmp_event, how often each QMP event. */
export function countEvents(events: readonly SummaryEvent[]): Array<{ event: string; count: number; names?: Record<string, number> }> {
  const counts = new Map<string, { count: number; names?: Map<string, number> }>();
  for (const { event, fields } of events) {
    const entry = counts.get(event) ?? { count: 0 };
    entry.count += 1;
    // QEMU's own event name (STOP, RESUME, SHUTDOWN...) is what an analyst looks for.
    const name = event === 'qmp_event' ? fields['qmp_event'] : undefined;
    if (typeof name === 'string') {
      entry.names ??= new Map();
      entry.names.set(name, (entry.names.get(name) ?? 0) + 1);
    }
    counts.set(event, entry);
  }
  return [...counts]
    .sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]))
    .map(([event, { count, names }]) => ({ event, count, ...(names === undefined ? {} : { names: Object.fromEntries(names) }) }));
}
