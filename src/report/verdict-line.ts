// The verdict in one line, for a log or a terminal: `verdict warning: <first reasons> (+N more)`.
import type { Verdict } from './verdict-types';

// Two reasons say what is wrong; the rest are in the report.
const REASONS_SHOWN = 2;

export function verdictLine(verdict: Verdict): string {
  if (verdict.reasons.length === 0) return 'verdict ok';
  const shown = verdict.reasons.slice(0, REASONS_SHOWN).map((r) => r.message).join('; ');
  const more = verdict.reasons.length - REASONS_SHOWN;
  return `verdict ${verdict.level}: ${shown}${more > 0 ? ` (+${more} more)` : ''}`;
}
