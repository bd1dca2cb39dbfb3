// One value against one option spec: the same check serves the top-level keys, the keys every
// collector shares and each kind's own options, so every message reads alike:
// `expected <what the spec accepts>, got <what the file holds>`.
import { describeValue } from './describe-value';
import { didYouMean } from './did-you-mean';
import { resolvePathOption, type PathBases } from './option-defaults';
import type { EnvOrigin } from './interpolate-env';
import type { IntegerSpec, NumberSpec, OptionSpec } from './option-spec';

export type Checked = { ok: true; value: unknown } | { ok: false; message: string };

/** The value to hand on (a path made absolute), or a message saying what is wrong with it. */
export function checkValue(spec: OptionSpec, value: unknown, bases: PathBases): Checked {
  const checked = checkType(spec, value, bases);
  if (!checked.ok || spec.check === undefined) return checked;
  const expected = (spec.check as (value: unknown) => string | null)(checked.value);
  return expected === null ? checked : { ok: false, message: `expected ${expected}, got ${describeValue(value)}` };
}

function checkType(spec: OptionSpec, value: unknown, bases: PathBases): Checked {
  const failed = (suffix = ''): Checked => ({
    ok: false,
    message: `expected ${expectation(spec)}, got ${describeValue(value)}${suffix}`,
  });
  switch (spec.type) {
    case 'integer':
      return Number.isSafeInteger(value) && inRange(spec, value as number) ? { ok: true, value } : failed();
    case 'number':
      return Number.isFinite(value) && inRange(spec, value as number) ? { ok: true, value } : failed();
    case 'boolean':
      return typeof value === 'boolean' ? { ok: true, value } : failed();
    case 'string':
      if (typeof value !== 'string') return failed();
      if (spec.oneOf !== undefined && !spec.oneOf.includes(value)) return failed(didYouMean(value, spec.oneOf));
      return spec.pattern === undefined || spec.pattern.test(value) ? { ok: true, value } : failed();
    case 'string-list':
      if (!Array.isArray(value)) return failed();
      {
        const index = value.findIndex((item) => typeof item !== 'string' || (spec.item !== undefined && !spec.item.pattern.test(item)));
        if (index >= 0) return failed(` whose item ${index + 1} is ${describeValue(value[index])}`);
      }
      return { ok: true, value: [...(value as string[])] };
    case 'path':
      return typeof value === 'string' && value !== '' ? { ok: true, value: resolvePathOption(spec, value, bases) } : failed();
    default:
      throw new Error(`unknown option type in ${JSON.stringify(spec)}`);
  }
}

// A number as YAML would read it unquoted: what the user means when a variable holds "500".
const NUMBER_TEXT = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/**
 * checkValue for a value that may have come from environment variables (`origin`). A value that
 * was one whole `${NAME}` is read as the spec's type (its text "500" as the number 500, "true" as
 * true), as if the variable's text stood in the file unquoted; the message names the variable.
 */
export function checkInterpolated(spec: OptionSpec, value: unknown, origin: EnvOrigin | undefined, bases: PathBases): Checked {
  if (origin === undefined || typeof value !== 'string') return checkValue(spec, value, bases);
  const typed = origin.whole ? fromText(spec, value) : value;
  const checked = checkValue(spec, typed, bases);
  if (checked.ok) return checked;
  const names = origin.names.map((name) => `\${${name}}`).join(', ');
  const numeric = spec.type === 'integer' || spec.type === 'number' || spec.type === 'boolean';
  const how = numeric && !origin.whole ? `; a variable is read as ${spec.type === 'integer' ? 'an' : 'a'} ${spec.type} only when it is the whole value` : '';
  return { ok: false, message: `${checked.message}, from ${names}${how}` };
}

function fromText(spec: OptionSpec, text: string): unknown {
  if ((spec.type === 'integer' || spec.type === 'number') && NUMBER_TEXT.test(text.trim())) return Number(text);
  if (spec.type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

/** What `spec` accepts, in words: `a positive integer (milliseconds)`, `one of a, b`. */
export function expectation(spec: OptionSpec): string {
  switch (spec.type) {
    case 'integer':
    case 'number':
      return numberExpectation(spec);
    case 'boolean':
      return 'true or false';
    case 'string':
      if (spec.oneOf !== undefined) return `one of ${spec.oneOf.join(', ')}`;
      if (spec.pattern !== undefined) return `a string (${spec.patternDoc ?? `matching ${String(spec.pattern)}`})`;
      return 'a string';
    case 'string-list':
      return spec.item === undefined ? 'a list of strings' : `a list of strings, each ${spec.item.doc}`;
    case 'path':
      return `a path (relative to the ${spec.relativeTo === 'run_dir' ? 'run directory' : "config file's folder"})`;
    default:
      throw new Error(`unknown option type in ${JSON.stringify(spec)}`);
  }
}

function inRange(spec: IntegerSpec | NumberSpec, value: number): boolean {
  const exclusiveMin = spec.type === 'number' && spec.exclusiveMin === true;
  if (spec.min !== undefined && (exclusiveMin ? value <= spec.min : value < spec.min)) return false;
  return spec.max === undefined || value <= spec.max;
}

function numberExpectation(spec: IntegerSpec | NumberSpec): string {
  const noun = spec.type;
  const unit = spec.unit === undefined ? '' : ` (${spec.unit})`;
  const { min, max } = spec;
  if (spec.type === 'number' && spec.exclusiveMin === true && min !== undefined) {
    const lower = min === 0 ? `a positive ${noun}` : `a ${noun} greater than ${min}`;
    return max === undefined ? `${lower}${unit}` : `${lower} and at most ${max}${unit}`;
  }
  const article = noun === 'integer' ? 'an' : 'a';
  if (min !== undefined && max !== undefined) return `${article} ${noun} from ${min} to ${max}${unit}`;
  if (max !== undefined) return `${article} ${noun} of at most ${max}${unit}`;
  if (min === undefined) return `${article} ${noun}${unit}`;
  if (spec.type === 'integer' && min === 1) return `a positive integer${unit}`;
  if (min === 0) return `a non-negative ${noun}${unit}`;
  return `${article} ${noun} of at least ${min}${unit}`;
}
