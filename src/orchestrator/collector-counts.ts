// Counts of one collector accumulate over worker restarts and orchestrator restarts. Figures
// named `longest_*` or `max_*` are maxima; every other figure is a total.
import type { CollectorCounts } from '../collectors/contract';
import { countLines } from '../sink/count-lines';

export function emptyCounts(): CollectorCounts {
  return { rows: 0, bytes: 0, dropped: {}, stats: {} };
}

/** The counts of two consecutive runs of a collector seen as one. */
export function mergeCounts(earlier: CollectorCounts, later: CollectorCounts): CollectorCounts {
  const stats = { ...earlier.stats };
  for (const [name, value] of Object.entries(later.stats)) {
    const isMaximum = name.startsWith('longest_') || name.startsWith('max_');
    stats[name] = isMaximum ? Math.max(stats[name] ?? value, value) : (stats[name] ?? 0) + value;
  }
  const dropped = { ...earlier.dropped };
  for (const [reason, n] of Object.entries(later.dropped)) dropped[reason] = (dropped[reason] ?? 0) + n;
  return { rows: earlier.rows + later.rows, bytes: earlier.bytes + later.bytes, dropped, stats };
}


/**
 * `counts` with rows and bytes taken from the collector's file, the truth when the counts are
 * older than its last write (a crashed process, a worker that died); drops and figures exist only
 * in the counts.
 */
export function countsWithFile(counts: CollectorCounts, outputPath: string): CollectorCounts {
  const onDisk = countLines(outputPath);
  return { ...counts, rows: onDisk.lines, bytes: onDisk.bytes };
}
