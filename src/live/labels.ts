// Labels and marker names end up as keys and values in every dataset built from an episode, and
// they come from YAML, from a command line or from any process that can reach the control
// socket: one set of rules, checked the same way everywhere, keeps them plain and bounded.

/** A label's value: what YAML and JSON both hold as a scalar. */
export type LabelValue = string | number | boolean;
export type Labels = Record<string, LabelValue>;

// Keys become column names downstream: an identifier, short enough to read in a table.
const LABEL_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
export const LABEL_KEY_DOC = "1 to 64 letters, digits, '_', '.' and '-', starting with a letter or '_'";
// A marker names a phase or a moment: the same plain words, ':' allowed for "attack:stage2".
const MARKER_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
export const MARKER_NAME_DOC = "1 to 64 letters, digits, '_', '.', ':' and '-', starting with a letter or digit";
// A value is a tag, not a document: 256 characters hold a sample hash, a URL or a sentence.
export const MAX_LABEL_VALUE_CHARS = 256;
// More than this many labels on one marker or episode is a payload, not a label set.
export const MAX_LABELS = 32;
// Control characters would reach terminals raw (status, tap) and break CSV exports.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/** What is wrong with a marker name, or null when it is fine. */
export function markerNameProblem(name: unknown): string | null {
  if (typeof name !== 'string') return `expected a marker name (${MARKER_NAME_DOC}), got ${typeof name}`;
  return MARKER_NAME_PATTERN.test(name) ? null : `expected a marker name (${MARKER_NAME_DOC}), got ${JSON.stringify(name.slice(0, 80))}`;
}

/** What is wrong with one label key, or null. */
export function labelKeyProblem(key: string): string | null {
  return LABEL_KEY_PATTERN.test(key) ? null : `label key ${JSON.stringify(key.slice(0, 80))}: expected ${LABEL_KEY_DOC}`;
}

/** What is wrong with one label value, or null. */
export function labelValueProblem(value: unknown): string | null {
  const expected = `a string of at most ${MAX_LABEL_VALUE_CHARS} characters without control characters, a finite number or a boolean`;
  if (typeof value === 'boolean') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : `expected ${expected}, got ${value}`;
  if (typeof value !== 'string') return `expected ${expected}, got ${value === null || value === undefined ? 'nothing' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : typeof value}`;
  if (value.length > MAX_LABEL_VALUE_CHARS) return `expected ${expected}, got ${value.length} characters`;
  return CONTROL_CHARACTER.test(value) ? `expected ${expected}, got a control character` : null;
}

/** Problems of a whole label map as `[key or '', message]` pairs; none means it is fine. */
export function labelsProblems(labels: unknown): Array<[string, string]> {
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) return [['', 'expected a mapping of label keys to scalar values']];
  const entries = Object.entries(labels);
  if (entries.length > MAX_LABELS) return [['', `expected at most ${MAX_LABELS} labels, got ${entries.length}`]];
  const problems: Array<[string, string]> = [];
  for (const [key, value] of entries) {
    const problem = labelKeyProblem(key) ?? labelValueProblem(value);
    if (problem !== null) problems.push([key, problem]);
  }
  return problems;
}
