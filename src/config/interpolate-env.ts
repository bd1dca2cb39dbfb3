// `${NAME}` in a string value takes the value of an environment variable, so one config file can
// serve several hosts (socket paths, episode names from the launcher). Keys are never rewritten.
// Anything that looks meant as a reference but is not one (`$NAME`, `${NAME` unclosed,
// `${ NAME }`) is a problem rather than literal text: a run dir named `runs/$EPISODE` is an
// episode filed where nobody will look. `$$` is a literal `$`.
import { isMapping } from './describe-value';
import { formatKeyPath, type KeyPath } from './key-path';
import type { ProblemList } from './problem-list';

// The shell's rule for variable names.
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NAME_START = /[A-Za-z_]/;

export type Environment = Readonly<Record<string, string | undefined>>;

/** Which variables a value came from: `whole` when the value was exactly one `${NAME}`. */
export interface EnvOrigin {
  names: readonly string[];
  whole: boolean;
}

/** Key path (formatKeyPath) to the variables its value was built from. */
export type EnvOrigins = Map<string, EnvOrigin>;

/**
 * A copy of `value` with every `${NAME}` in its strings replaced; each unset or empty NAME and
 * each malformed reference is a problem. `origins` learns which values came from variables.
 */
export function interpolateEnv(value: unknown, env: Environment, at: KeyPath, problems: ProblemList, origins: EnvOrigins): unknown {
  if (typeof value === 'string') return interpolateString(value, env, at, problems, origins);
  if (Array.isArray(value)) return value.map((item, index) => interpolateEnv(item, env, [...at, index], problems, origins));
  if (isMapping(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolateEnv(item, env, [...at, key], problems, origins)]));
  }
  return value;
}

function interpolateString(text: string, env: Environment, at: KeyPath, problems: ProblemList, origins: EnvOrigins): string {
  let out = '';
  const names: string[] = [];
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    const next = text[index + 1];
    if (char !== '$' || (next !== '$' && next !== '{' && (next === undefined || !NAME_START.test(next)))) {
      out += char;
      continue;
    }
    if (next === '$') {
      out += '$';
      index += 1;
      continue;
    }
    if (next !== '{') {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(index + 1))![0];
      problems.add(at, `"$${name}" is not a reference: write \${${name}} for the variable, or $$ for a literal $`);
      return text;
    }
    const close = text.indexOf('}', index + 2);
    if (close < 0) {
      problems.add(at, `unclosed "\${" in ${JSON.stringify(text)}: write \${NAME}`);
      return text;
    }
    const inside = text.slice(index + 2, close);
    if (!NAME.test(inside)) {
      const trimmed = inside.trim();
      const hint = NAME.test(trimmed) ? `write \${${trimmed}} without spaces` : 'a name is letters, digits and _, not starting with a digit';
      problems.add(at, `invalid reference "\${${inside}}": ${hint}`);
      return text;
    }
    const replacement = env[inside];
    if (replacement === undefined || replacement === '') {
      problems.add(at, `environment variable ${inside} is ${replacement === undefined ? 'not set' : 'set but empty'}`);
      return text;
    }
    names.push(inside);
    out += replacement;
    index = close;
  }
  if (names.length > 0) origins.set(formatKeyPath(at), { names, whole: text === `\${${names[0]}}` });
  return out;
}
