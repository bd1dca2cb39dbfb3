// Deep nesting is checked on the raw text, before JSON.parse: V8 parses a line of half a million
// '[' without failing, but it takes hundreds of milliseconds, so a hostile guest could burn the
// collector's CPU with it. This scan is exact (brackets inside strings do not count), skips
// strings with native indexOf and returns at the first bracket past the limit.
import { JsonByte } from '../../json/json-byte';

/** True when `text` nests objects/arrays more than `maxDepth` deep (`{}` is depth 1). */
export function exceedsDepth(text: string, maxDepth: number): boolean {
  // A flat row has one '{' and no '[': two native searches settle the common case.
  if (text.indexOf('[') < 0 && text.indexOf('{', text.indexOf('{') + 1) < 0) return maxDepth < 1;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === JsonByte.Quote) i = stringEnd(text, i);
    else if (code === JsonByte.OpenBrace || code === JsonByte.OpenBracket) {
      if (++depth > maxDepth) return true;
    } else if (code === JsonByte.CloseBrace || code === JsonByte.CloseBracket) depth--;
  }
  return false;
}

/** Index of the quote that closes the string opening at `quote` (text.length if none does). */
export function stringEnd(text: string, quote: number): number {
  let at = quote;
  for (;;) {
    at = text.indexOf('"', at + 1);
    if (at < 0) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === JsonByte.Backslash) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
}
