// The events tables of the docs, read as data: the fields each documented event has, so tests can
// hold the emitted events to them exactly.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Compiled tests run from dist/test/helpers; the docs stay in the source tree.
const ROOT = join(__dirname, '..', '..', '..');

/** `{event: [field, …]}` from every `| \`event\` | fields | when |` row of the doc at `path` (from the checkout). */
export function documentedEvents(path: string): Map<string, string[]> {
  const events = new Map<string, string[]>();
  for (const line of readFileSync(join(ROOT, path), 'utf8').split('\n')) {
    const cells = /^\| `([a-z_]+)` \| ([^|]*) \|/.exec(line);
    if (cells === null) continue;
    // A field is the backticked name that starts each item; what is in parentheses explains it.
    const fields = cells[2]!
      .replace(/\([^)]*\)/g, '')
      .split(',')
      .map((item) => /^\s*`([a-z_0-9]+)`/.exec(item)?.[1])
      .filter((field): field is string => field !== undefined);
    events.set(cells[1]!, fields);
  }
  return events;
}
