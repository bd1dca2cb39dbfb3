// Names the causes of a gap from the spans events.jsonl gives (episode-events.ts): a gap of a
// source overlapping a span that concerns it (or every source) has that span's cause.
import type { CauseSpan } from './episode-events';
import type { Gap } from './report-types';

/** The gap [startNs, endNs] of `source` with its causes; `slackNs` widens the match at its start. */
export function explainGap(source: string, startNs: number, endNs: number, spans: readonly CauseSpan[], slackNs: number): Gap {
  const causes: string[] = [];
  let excusedNs = 0;
  for (const span of spans) {
    if (span.source !== null && span.source !== source) continue;
    if (span.endNs < startNs - slackNs || span.startNs > endNs) continue;
    if (!causes.includes(span.cause)) causes.push(span.cause);
    if (span.excused) excusedNs += Math.min(span.endNs, endNs) - Math.max(span.startNs, startNs);
  }
  const durationNs = endNs - startNs;
  return {
    startS: startNs / 1e9,
    endS: endNs / 1e9,
    durationS: durationNs / 1e9,
    causes,
    // Mostly inside such a span: the rest of the gap is the source's own interval around it.
    excused: excusedNs >= durationNs / 2,
  };
}
