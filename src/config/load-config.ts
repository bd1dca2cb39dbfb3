// Reads one per-VM YAML file and returns the episode's configuration, checked whole: every
// problem in the file is found and thrown together as one ConfigError, each with its line, so a
// bad config never starts an episode and is fixed in one pass.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { YAMLException } from 'js-yaml';
import type { LogLevel } from '../collectors/contract';
import { VmtelError } from '../errors';
import { checkKey, checkOptions, mappingAt, reportUnknownKeys, type MappingPlace } from './check-options';
import { ConfigError } from './config-error';
import type { OptionSchema, OptionsOf } from './option-spec';
import { RESTART_SCHEMA, RUN_DIR_SPEC, TOP_LEVEL_SCHEMA } from './config-keys';
import { entryAsConfig, type CollectorEntry } from './collector-entry';
import type { EpisodeConfig } from './episode-config';
import { interpolateEnv, type Environment, type EnvOrigins } from './interpolate-env';
import { parseYaml, type YamlDocument } from './key-lines';
import { reportOutputClashes } from './output-files';
import { REPORT_SCHEMA } from './report-keys';
import { ProblemList } from './problem-list';
import { resolveCollector, type CollectorBases } from './resolve-collector';
import { checkLabels } from './check-labels';
import { checkShip } from './ship-config';

/** What the command line says beside the file; each wins over the file's key. */
export interface ConfigOverrides {
  /** `--run-dir`; a relative one is taken from the current directory, like any path argument. */
  runDir?: string;
  logLevel?: LogLevel;
  /** The variables `${NAME}` reads; process.env by default. */
  env?: Environment;
}

const TOP_LEVEL_KEYS = [...Object.keys(TOP_LEVEL_SCHEMA), 'run_dir', 'labels', 'restart', 'report', 'collectors', 'ship'];

/** The checked config of `configPath`; throws ConfigError listing every problem, or VMTEL_CONFIG_UNREADABLE. */
export async function loadConfig(configPath: string, overrides: ConfigOverrides = {}): Promise<EpisodeConfig> {
  const absolutePath = resolve(configPath);
  const configDir = dirname(absolutePath);
  const bytes = readConfigFile(configPath);
  const document = parseDocument(bytes.toString('utf8'), configPath);
  const problems = new ProblemList(configPath, document.lines);
  const origins: EnvOrigins = new Map();
  const data = interpolateEnv(document.data, overrides.env ?? process.env, [], problems, origins);
  // An empty or comments-only file parses to undefined or null: "got nothing", not an empty mapping.
  const top = mappingAt(data ?? undefined, 'a mapping of settings (vm, episode, collectors, ...)', [], problems);
  if (top === undefined) throw problems.toError();

  const topPlace: MappingPlace = { at: [], problems, bases: { configDir, runDir: configDir }, origins };
  reportUnknownKeys(top, TOP_LEVEL_KEYS, topPlace);
  const settings = checkOptions(top, TOP_LEVEL_SCHEMA, topPlace);
  // Checked even when --run-dir wins: a wrong key is wrong whatever the command line says.
  const configured = checkKey(top, 'run_dir', RUN_DIR_SPEC, topPlace) as string | undefined;
  // resolve('') is the current directory: an empty --run-dir (an unset shell variable) would
  // record into wherever vmtel was started.
  if (overrides.runDir === '') throw new VmtelError('VMTEL_RUN_DIR_INVALID', '--run-dir: expected a folder, got an empty string');
  const runDir = overrides.runDir === undefined ? (configured ?? runDirWithoutKey(configDir, settings)) : resolve(overrides.runDir);
  const labels = checkLabels(top['labels'], topPlace);
  const restart = checkRestart(top['restart'], topPlace);
  const report = checkSection(top['report'], 'report', REPORT_SCHEMA, 'a mapping of report thresholds', topPlace);
  const collectors = await resolveCollectors(top, { problems, configDir, runDir, flushMs: settings.flush_ms, origins });
  const ship = Object.hasOwn(top, 'ship') ? checkShip(top['ship'], topPlace) : undefined;
  reportOutputClashes(collectors, runDir, problems);
  problems.throwIfAny();

  const logLevel = overrides.logLevel ?? (settings.log_level as LogLevel);
  return {
    configPath: absolutePath,
    digest: createHash('sha256').update(bytes).digest('hex'),
    vm: settings.vm,
    episode: settings.episode,
    runDir,
    labels,
    fileMode: parseInt(settings.file_mode, 8),
    dirMode: parseInt(settings.dir_mode, 8),
    logLevel,
    stopGraceMs: settings.stop_grace_ms,
    unresponsiveAfterMs: settings.unresponsive_after_ms,
    restart: {
      maxRestarts: restart.max_restarts,
      initialDelayMs: restart.initial_delay_ms,
      maxDelayMs: restart.max_delay_ms,
      resetAfterMs: restart.reset_after_ms,
    },
    collectors,
    ...(ship === undefined ? {} : { ship: ship.config }),
    resolved: {
      vm: settings.vm,
      episode: settings.episode,
      run_dir: runDir,
      labels,
      log_level: logLevel,
      stop_grace_ms: settings.stop_grace_ms,
      flush_ms: settings.flush_ms,
      unresponsive_after_ms: settings.unresponsive_after_ms,
      file_mode: settings.file_mode,
      dir_mode: settings.dir_mode,
      restart,
      report,
      collectors: Object.fromEntries(collectors.map((entry) => [entry.name, entryAsConfig(entry)])),
      ...(ship === undefined ? {} : { ship: ship.resolved }),
    },
  };
}

// Read at once: a file of a few KB, and an asynchronous read would make libuv create its thread
// pool's four threads for it, on the start's critical path, before any worker exists.
function readConfigFile(configPath: string): Buffer {
  try {
    return readFileSync(configPath);
  } catch (err) {
    throw new VmtelError('VMTEL_CONFIG_UNREADABLE', `cannot read config file ${configPath}: ${(err as Error).message}`, { cause: err });
  }
}

function parseDocument(text: string, configPath: string): YamlDocument {
  try {
    return parseYaml(text);
  } catch (err) {
    if (!(err instanceof YAMLException)) throw err;
    // js-yaml counts from 0; editors count from 1. A problem of the whole stream (two documents)
    // has no mark.
    const { mark } = err;
    const message = mark === undefined ? `YAML syntax error: ${err.reason}` : `YAML syntax error at column ${mark.column + 1}: ${err.reason}`;
    throw new ConfigError([{ file: configPath, line: mark === undefined ? null : mark.line + 1, keyPath: '', message }]);
  }
}

// A missing or wrong vm or episode is reported already and the config is never returned; the
// config's folder then serves as run dir for the checks that remain.
function runDirWithoutKey(configDir: string, settings: { vm?: string; episode?: string }): string {
  if (settings.vm === undefined || settings.episode === undefined) return configDir;
  return defaultRunDir(configDir, settings.vm, settings.episode);
}

/** The run dir of a config without `run_dir:`: `runs/<vm>/<episode>` beside the config file. */
export function defaultRunDir(configDir: string, vm: string, episode: string): string {
  return resolve(configDir, 'runs', vm, episode);
}

// A top-level section checked against its schema: an absent or bare key is all defaults.
function checkSection<S extends OptionSchema>(value: unknown, key: string, schema: S, what: string, topPlace: MappingPlace): OptionsOf<S> {
  const place = { ...topPlace, at: [key] };
  const mapping = mappingAt(value ?? null, what, place.at, place.problems) ?? {};
  reportUnknownKeys(mapping, Object.keys(schema), place);
  return checkOptions(mapping, schema, place);
}

function checkRestart(value: unknown, topPlace: MappingPlace) {
  const place = { ...topPlace, at: ['restart'] };
  const restart = checkSection(value, 'restart', RESTART_SCHEMA, 'a mapping of restart settings', topPlace);
  if (restart.initial_delay_ms > restart.max_delay_ms) {
    place.problems.add(['restart', 'initial_delay_ms'], `expected at most max_delay_ms (${restart.max_delay_ms}), got ${restart.initial_delay_ms}`);
  }
  return restart;
}

async function resolveCollectors(top: Record<string, unknown>, bases: CollectorBases): Promise<CollectorEntry[]> {
  if (!Object.hasOwn(top, 'collectors')) {
    bases.problems.add(['collectors'], 'required key is missing; expected a mapping of collector names to their settings');
    return [];
  }
  const mapping = mappingAt(top['collectors'], 'a mapping of collector names to their settings', ['collectors'], bases.problems);
  if (mapping === undefined) return [];
  const collectors: CollectorEntry[] = [];
  const entries = Object.entries(mapping);
  for (const [name, entry] of entries) {
    const collector = await resolveCollector(name, entry, bases);
    if (collector !== undefined) collectors.push(collector);
  }
  // Only when every entry resolved can "none is enabled" be told; else the user fixes those first.
  if (collectors.length === entries.length && !collectors.some((collector) => collector.enabled)) {
    bases.problems.add(['collectors'], `expected at least one enabled collector, got ${entries.length === 0 ? 'none' : 'only disabled ones'}`);
  }
  return collectors;
}
