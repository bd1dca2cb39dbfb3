// One pass over a telemetry file that extracts a few top-level numbers of every row (see
// top-level-fields.ts) and hands them to the caller row by row, in bounded memory.
import { forEachLine } from './line-chunks';
import { TopLevelFields } from './top-level-fields';

export interface RowsRead {
  rows: number;
  /** Lines that are not JSON objects, or too long to be vmtel's (a row file vmtel wrote holds none; someone else's may). */
  unreadable: number;
  bytes: number;
  /** A last line without "\n": cut short by a crash, not a row. */
  unterminatedBytes: number;
}

/**
 * Calls `onRow(fields)` for each row of `path` with `fields` holding the named keys of that row
 * (one TopLevelFields reused for every row: copy what you keep). A missing file has no rows.
 */
export async function scanRows(path: string, names: readonly string[], onRow: (fields: TopLevelFields) => void): Promise<RowsRead> {
  const fields = new TopLevelFields(names);
  let rows = 0;
  let unreadable = 0;
  const totals = await forEachLine(path, (bytes, start, end) => {
    if (end === start) return;
    if (!fields.read(bytes, start, end)) {
      unreadable += 1;
      return;
    }
    rows += 1;
    onRow(fields);
  });
  return { rows, unreadable: unreadable + totals.oversizedLines, bytes: totals.bytes, unterminatedBytes: totals.unterminatedBytes };
}
