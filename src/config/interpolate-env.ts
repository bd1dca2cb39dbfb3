// `${NAME}` in a string value takes the value of an environment variable, so one config file can
// serve several hosts (socket paths, episode names from the launcher). Keys are never rewritten.
import { isMapping } from './describe-value';
import type { KeyPath } from './key-lines';
import type { ProblemList } from './problem-list';

// The shell's rule for variable names.
const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export type Environment = Readonly<Record<string, string | undefined>>;

/** A copy of `value` with every `${NAME}` in its strings replaced; each unset NAME is a problem. */
export function interpolateEnv(value: unknown, env: Environment, at: KeyPath, problems: ProblemList): unknown {
  if (typeof value === 'string') {
    return value.replace(REFERENCE, (reference, name: string) => {
      const replacement = env[name];
      if (replacement !== undefined) return replacement;
      problems.add(at, `environment variable ${name} is not set`);
      return reference;
    });
  }
  if (Array.isArray(value)) return value.map((item, index) => interpolateEnv(item, env, [...at, index], problems));
  if (isMapping(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolateEnv(item, env, [...at, key], problems)]));
  }
  return value;
}
