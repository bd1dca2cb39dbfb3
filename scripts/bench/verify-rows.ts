// Every benchmark run is also a correctness run: each output line must be one valid JSON object
// whose guest part is byte for byte the row that was sent, and every seq must be there exactly
// once. The same pass yields each row's alignment error: host stamp minus send stamp.
import { forEachLine } from '../../src/run-dir/line-chunks';
import { readOutputRow } from './bench-row';

export interface RowCheck {
  /** Lines in the file. */
  lines: number;
  /** Distinct seqs seen; one past the largest, so `rows === nextSeq` means none is missing. */
  rows: number;
  nextSeq: number;
  duplicated: number;
  /** Lines that are not valid JSON, or whose guest part differs from what was sent. */
  damaged: number;
  /** Per good row, host stamp (absolute) minus send stamp, in ns. */
  alignmentNs: Float64Array;
}

/**
 * Checks the output file of a run whose episode origin is `originNs`, read in chunks: a long
 * flood's file is larger than the longest string V8 can hold.
 */
export async function checkRows(path: string, rowBytes: number, originNs: bigint): Promise<RowCheck> {
  const seen = new Set<number>();
  const alignment: number[] = [];
  let duplicated = 0;
  let damaged = 0;
  let nextSeq = 0;
  const totals = await forEachLine(path, (bytes, start, end) => {
    const line = bytes.toString('utf8', start, end);
    const row = readOutputRow(line, rowBytes);
    if (row === null || !row.exact || !isJsonObject(line)) {
      damaged++;
      return;
    }
    if (seen.has(row.seq)) duplicated++;
    seen.add(row.seq);
    nextSeq = Math.max(nextSeq, row.seq + 1);
    alignment.push(Number(originNs + row.tMonoNs - row.sentNs));
  });
  // A last line without its "\n" is torn; a line too long to hold is no row sent.
  damaged += totals.oversizedLines + (totals.unterminatedBytes > 0 ? 1 : 0);
  return { lines: totals.lines, rows: seen.size, nextSeq, duplicated, damaged, alignmentNs: Float64Array.from(alignment) };
}

/** Whether `line` is one JSON object. */
export function isJsonObject(line: string): boolean {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** Problems with a run that had to deliver seqs 0 … expectedRows−1, exactly once each. */
export function rowProblems(check: RowCheck, expectedRows: number): string[] {
  const problems: string[] = [];
  if (check.damaged > 0) problems.push(`${check.damaged} damaged lines`);
  if (check.duplicated > 0) problems.push(`${check.duplicated} duplicated rows`);
  const missing = Math.max(expectedRows, check.nextSeq) - check.rows;
  if (missing > 0) problems.push(`${missing} rows missing (${check.rows} of ${Math.max(expectedRows, check.nextSeq)})`);
  return problems;
}
