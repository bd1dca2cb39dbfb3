// Options are declared as data, once: the same declaration validates a config (with the line of
// each problem), fills in defaults, documents the option in `vmtel validate` output and types the
// resolved options a collector receives.

interface SpecBase<Value> {
  /** One line for users: what the option does. */
  doc: string;
  /**
   * A check the type, range and pattern cannot express (no duplicates, say): null when `value`
   * is right, else what is expected, in words ("each query at most once").
   */
  check?: (value: Value) => string | null;
}

export interface IntegerSpec extends SpecBase<number> {
  type: 'integer';
  default?: number;
  min?: number;
  max?: number;
  /** Unit named in messages, e.g. "milliseconds". */
  unit?: string;
}

export interface NumberSpec extends SpecBase<number> {
  type: 'number';
  default?: number;
  /** Smallest allowed value; `exclusiveMin` makes it a strict bound (a positive number). */
  min?: number;
  exclusiveMin?: boolean;
  max?: number;
  unit?: string;
}

export interface StringSpec extends SpecBase<string> {
  type: 'string';
  default?: string;
  oneOf?: readonly string[];
  pattern?: RegExp;
  /** Says in words what `pattern` accepts, for messages. */
  patternDoc?: string;
}

export interface BooleanSpec extends SpecBase<boolean> {
  type: 'boolean';
  default?: boolean;
}

export interface StringListSpec extends SpecBase<readonly string[]> {
  type: 'string-list';
  default?: readonly string[];
  /** What every item must match, and that in words for messages. */
  item?: { pattern: RegExp; doc: string };
}

/** A file system path; relative ones resolve against the run dir or the config file's folder. */
export interface PathSpec extends SpecBase<string> {
  type: 'path';
  default?: string;
  relativeTo: 'run_dir' | 'config_dir';
}

export type OptionSpec = IntegerSpec | NumberSpec | StringSpec | BooleanSpec | StringListSpec | PathSpec;

/** An option without `default` is required. */
export type OptionSchema = Readonly<Record<string, OptionSpec>>;

type ValueOf<S extends OptionSpec> = S extends IntegerSpec | NumberSpec
  ? number
  : S extends StringSpec | PathSpec
    ? string
    : S extends BooleanSpec
      ? boolean
      : S extends StringListSpec
        ? readonly string[]
        : never;

/** The resolved options of a schema: every key present, defaults filled, paths absolute. */
export type OptionsOf<S extends OptionSchema> = { readonly [K in keyof S]: ValueOf<S[K]> };
