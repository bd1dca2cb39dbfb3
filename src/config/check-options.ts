// Checks the keys of one YAML mapping against an option schema: each present value is checked,
// missing required ones are reported, defaults are filled, unknown keys are named with the key
// the user probably meant. Every problem goes to the list; checking never stops early.
import { checkInterpolated, expectation } from './check-value';
import { describeValue, isMapping } from './describe-value';
import { didYouMean } from './did-you-mean';
import type { EnvOrigins } from './interpolate-env';
import { formatKeyPath, type KeyPath } from './key-path';
import { defaultOptions, type PathBases } from './option-defaults';
import type { OptionSchema, OptionSpec, OptionsOf } from './option-spec';

/** Where problems go: the config's ProblemList, or a list that crosses a thread (module-description.ts). */
export interface ProblemSink {
  add(at: KeyPath, message: string): void;
}

/** Where a mapping sits and what its problems and relative paths resolve against. */
export interface MappingPlace {
  at: KeyPath;
  problems: ProblemSink;
  bases: PathBases;
  /** Which values came from environment variables (interpolateEnv). */
  origins: EnvOrigins;
}

/**
 * Every key of `schema`: the mapping's value where it is present and right, else the default.
 * A wrong or missing value is reported and left out, so the result is complete only when no
 * problem was added.
 */
export function checkOptions<S extends OptionSchema>(mapping: Record<string, unknown>, schema: S, place: MappingPlace): OptionsOf<S> {
  const defaults = defaultOptions(schema, place.bases);
  const options: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(schema)) {
    if (Object.hasOwn(mapping, key)) {
      const value = checkKey(mapping, key, spec, place);
      if (value !== undefined) options[key] = value;
    } else if (Object.hasOwn(defaults, key)) {
      options[key] = defaults[key];
    } else {
      place.problems.add([...place.at, key], `required key is missing; expected ${expectation(spec)}`);
    }
  }
  return options as OptionsOf<S>;
}

/** The checked value of one optional key; undefined when it is absent or wrong (then reported). */
export function checkKey(mapping: Record<string, unknown>, key: string, spec: OptionSpec, place: MappingPlace): unknown {
  if (!Object.hasOwn(mapping, key)) return undefined;
  const checked = checkInterpolated(spec, mapping[key], place.origins.get(formatKeyPath([...place.at, key])), place.bases);
  if (checked.ok) return checked.value;
  place.problems.add([...place.at, key], checked.message);
  return undefined;
}

/** Reports each key of `mapping` that is not in `known`, with the closest known key. */
export function reportUnknownKeys(mapping: Record<string, unknown>, known: readonly string[], place: MappingPlace): void {
  for (const key of Object.keys(mapping)) {
    if (known.includes(key)) continue;
    const hint = didYouMean(key, known);
    place.problems.add([...place.at, key], hint === '' ? `unknown key; known keys are ${known.join(', ')}` : `unknown key${hint}`);
  }
}

/** `value` as a mapping, a bare key (null) being an empty one; else undefined after a problem. */
export function mappingAt(value: unknown, what: string, at: KeyPath, problems: ProblemSink): Record<string, unknown> | undefined {
  if (value === null) return {};
  if (isMapping(value)) return value;
  problems.add(at, `expected ${what}, got ${describeValue(value)}`);
  return undefined;
}
