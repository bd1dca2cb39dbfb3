// The verdict in one line, for a log or a terminal: `verdict warning: <first reasons> (+N more)`.
// `vmtel run` logs it at the end of an episode and `vmtel summary` prints it.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { episodeReport } from './episode-report';
import type { Verdict } from './verdict-types';

// Two reasons say what is wrong; the rest are in the report.
const REASONS_SHOWN = 2;

export function verdictLine(verdict: Verdict): string {
  if (verdict.reasons.length === 0) return 'verdict ok';
  const shown = verdict.reasons.slice(0, REASONS_SHOWN).map((r) => r.message).join('; ');
  const more = verdict.reasons.length - REASONS_SHOWN;
  return `verdict ${verdict.level}: ${shown}${more > 0 ? ` (+${more} more)` : ''}`;
}

/**
 * The verdict line of the episode in `runDir`, with where its full report is made. With
 * `maxBytes`, an episode whose files are larger is not read: the line says how to get it.
 */
export async function runDirVerdictLine(runDir: string, maxBytes = Infinity): Promise<string> {
  const bytes = readdirSync(runDir)
    .filter((file) => file.endsWith('.jsonl'))
    .reduce((sum, file) => sum + statSync(join(runDir, file)).size, 0);
  if (bytes > maxBytes) return `verdict not made at stop: ${(bytes / 2 ** 20).toFixed(1)} MiB of rows to read; run vmtel report ${runDir}`;
  const report = await episodeReport(runDir);
  return `${verdictLine(report.verdict)} (vmtel report ${runDir} for the figures)`;
}
