// A misspelt key or kind is the most common config mistake; naming the close match turns a
// lookup in the docs into a one-character fix.
import { distance } from 'fastest-levenshtein';

/** The candidate closest to `name` when it is plausibly a misspelling of it, else undefined. */
function closeMatch(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const edits = distance(name.toLowerCase(), candidate.toLowerCase());
    if (edits < bestDistance) {
      best = candidate;
      bestDistance = edits;
    }
  }
  if (best === undefined) return undefined;
  // About one edit in three characters still reads as the same word (intervl_ms, flush); rewriting
  // the whole of a short word does not (x for vm).
  const allowed = Math.max(2, Math.ceil(best.length / 3));
  return bestDistance <= allowed && bestDistance < Math.max(name.length, best.length) ? best : undefined;
}

/** `; did you mean "x"?` when there is a close match, else ''. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const match = closeMatch(name, candidates);
  return match === undefined ? '' : `; did you mean "${match}"?`;
}
