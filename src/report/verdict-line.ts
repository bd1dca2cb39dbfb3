// The verdict in one line, for a log or a terminal: `verdict warning: <first reasons> (+N more)`.
// `vmtel run` logs it at the end of an episode and `vmtel summary` prints it.
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

/** The verdict line of the episode in `runDir`, with where its full report is made. */
export async function runDirVerdictLine(runDir: string): Promise<string> {
  const report = await episodeReport(runDir);
  return `${verdictLine(report.verdict)} (vmtel report ${runDir} for the figures)`;
}
