// Where an option's value comes from when the config is silent, and how a relative path option
// becomes absolute. Shared by the config loader and by anything that runs a collector without a
// config file (tests, benchmarks), so both see the same defaults.
import { isAbsolute, resolve } from 'node:path';
import type { OptionSchema, PathSpec } from './option-spec';

export interface PathBases {
  runDir: string;
  configDir: string;
}

/** An absolute path for a `path` option's value. */
export function resolvePathOption(spec: PathSpec, value: string, bases: PathBases): string {
  if (isAbsolute(value)) return value;
  return resolve(spec.relativeTo === 'run_dir' ? bases.runDir : bases.configDir, value);
}

/** The default of every option that has one, paths resolved. */
export function defaultOptions(schema: OptionSchema, bases: PathBases): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(schema)) {
    if (spec.default === undefined) continue;
    options[key] = spec.type === 'path' ? resolvePathOption(spec, spec.default, bases) : spec.default;
  }
  return options;
}
