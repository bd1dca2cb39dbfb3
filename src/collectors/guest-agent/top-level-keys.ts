// Finds the top-level keys of a JSON object text in place, so a few keys can be renamed while
// every other byte the guest sent (numbers beyond 2^53 above all) stays exactly as it was.
// Only used on text JSON.parse has accepted, so it need not diagnose syntax errors.
import { stringEnd } from './json-depth';

export interface KeySpan {
  /** The key's raw text, quotes included, is text[start, end). */
  start: number;
  end: number;
  /** The key as JSON.parse reads it: escapes like "sour\u0063e" decoded. */
  name: string;
}

const WHITESPACE = /[ \t\r\n]/;

/** The top-level keys of `objectText`, in order, duplicates included. */
export function topLevelKeys(objectText: string): KeySpan[] {
  const keys: KeySpan[] = [];
  let at = skipWhitespace(objectText, objectText.indexOf('{') + 1);
  while (objectText[at] === '"') {
    const end = stringEnd(objectText, at) + 1;
    const raw = objectText.slice(at, end);
    keys.push({ start: at, end, name: raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1) });
    // Past the ':' and the value, then past the ',' to the next key (or onto the closing '}').
    at = skipWhitespace(objectText, valueEnd(objectText, skipWhitespace(objectText, end) + 1) + 1);
  }
  return keys;
}

function skipWhitespace(text: string, from: number): number {
  let at = from;
  while (at < text.length && WHITESPACE.test(text[at]!)) at++;
  return at;
}

// Index of the ',' or '}' that ends the member whose value starts after `from`.
function valueEnd(text: string, from: number): number {
  let depth = 0;
  for (let at = from; at < text.length; at++) {
    const char = text[at];
    if (char === '"') at = stringEnd(text, at);
    else if (char === '{' || char === '[') depth++;
    else if (char === ']') depth--;
    else if (char === '}') {
      if (depth === 0) return at;
      depth--;
    } else if (char === ',' && depth === 0) return at;
  }
  return text.length;
}
