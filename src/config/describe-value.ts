// Messages say what was found as well as what was expected, in the words a user would use for
// what they wrote: `got -5`, `got "abc" (a string)`, `got a list`.

// Enough of a string to recognise it; a pasted blob would otherwise drown the message.
const MAX_SHOWN_CHARS = 60;

/** What the parsed YAML value `value` is, for "got ..." in a message. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  // The default schema turns unquoted timestamps into dates.
  if (value instanceof Date) return `${value.toISOString()} (a date)`;
  switch (typeof value) {
    case 'string': {
      const shown = value.length > MAX_SHOWN_CHARS ? `${value.slice(0, MAX_SHOWN_CHARS)}…` : value;
      return `${JSON.stringify(shown)} (a string)`;
    }
    case 'number':
      return String(value);
    case 'boolean':
      return `${value} (a boolean)`;
    case 'object':
      return 'a mapping';
    default:
      return `a ${typeof value}`;
  }
}

/** True for a YAML mapping: a plain object, not a list, a date or binary data. */
export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}
