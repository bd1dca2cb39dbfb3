// Turns one guest line into one output row without re-serialising it: the host's head is spliced
// in front of the guest's own text, so every number stays byte-exact (19-digit nanoseconds too)
// and a good row costs one JSON.parse for validation and a few concatenations.
import { HOST_OWNED_KEYS } from '../../sink/row-format';
import { renameHostOwnedKeys } from './host-owned-keys';
import { exceedsDepth } from './json-depth';

/** Why a guest line was dropped; the names are the drop reasons in the collector's counts. */
export type DropReason = 'line_too_long' | 'invalid_utf8' | 'too_deep' | 'malformed_json' | 'not_object' | 'partial_line';

/** A line that is not a row: preallocated, so a flood of bad lines allocates nothing per line. */
export class RowDrop {
  private constructor(readonly reason: DropReason) {}
  static readonly tooDeep = new RowDrop('too_deep');
  static readonly malformed = new RowDrop('malformed_json');
  static readonly notObject = new RowDrop('not_object');
}

// JSON's own whitespace; a line of only these is empty, not malformed.
const BLANK = /^[ \t\r]*$/;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const MONO_NULL = ',"t_guest_mono_ns":null';
const WALL_NULL = ',"t_guest_wall_ns":null';

/**
 * The output line (ending in "\n") for guest line `line`, whose object `value` guestObject gave.
 * `head` is the host's part up to, not including, the closing brace: `{"t_mono_ns":…,"source":…`.
 */
export function spliceGuestRow(line: string, value: object, head: string): string {
  // JSON.parse accepted it, so only JSON whitespace can surround the braces ("\r" of CRLF, say).
  let text = line.charCodeAt(line.length - 1) === CLOSE_BRACE ? line : line.trimEnd();
  let hasGuestMono = Object.hasOwn(value, 't_guest_mono_ns');
  let hasGuestWall = Object.hasOwn(value, 't_guest_wall_ns');
  if (hasHostOwnedKey(value)) {
    const renamed = renameHostOwnedKeys(text);
    text = renamed.text;
    hasGuestMono = renamed.keys.has('t_guest_mono_ns');
    hasGuestWall = renamed.keys.has('t_guest_wall_ns');
  }
  return head + (hasGuestMono ? '' : MONO_NULL) + (hasGuestWall ? '' : WALL_NULL) + members(text) + '\n';
}

/**
 * Whether `line` (whose object is `value`) is a plain row, the common case: an object from its
 * first character to its last, with both guest clocks and none of the host's keys. Its output
 * line is the head, ",", then the line after its "{".
 */
export function isPlainRow(line: string, value: object): boolean {
  return (
    line.charCodeAt(0) === OPEN_BRACE &&
    line.charCodeAt(line.length - 1) === CLOSE_BRACE &&
    Object.hasOwn(value, 't_guest_mono_ns') &&
    Object.hasOwn(value, 't_guest_wall_ns') &&
    !hasHostOwnedKey(value)
  );
}

/** The JSON object `line` holds, the RowDrop that says why it holds none, or null when blank. */
export function guestObject(line: string, maxDepth: number): object | RowDrop | null {
  if (exceedsDepth(line, maxDepth)) return RowDrop.tooDeep;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return BLANK.test(line) ? null : RowDrop.malformed;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : RowDrop.notObject;
}

function hasHostOwnedKey(value: object): boolean {
  for (const key of HOST_OWNED_KEYS) if (Object.hasOwn(value, key)) return true;
  return false;
}

// The guest's members after its opening brace, led by a comma unless the object is empty.
function members(objectText: string): string {
  const open = objectText.indexOf('{');
  let at = open + 1;
  while (objectText.charCodeAt(at) <= 0x20) at++;
  return objectText.charCodeAt(at) === CLOSE_BRACE ? '}' : `,${objectText.slice(open + 1)}`;
}
