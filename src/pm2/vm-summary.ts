// What the ecosystem file needs from a per-VM YAML, read synchronously because pm2 loads the
// ecosystem with require(): the app's name, the run dir its logs go to, how long a stop may take.
// Tolerant on purpose: a file that does not read or check still yields a summary, so pm2 gets an
// app and `vmtel run` itself reports the problem (one line in pm2's error log, exit 2).
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { checkInterpolated } from '../config/check-value';
import { RUN_DIR_SPEC, TOP_LEVEL_SCHEMA } from '../config/config-keys';
import { isMapping } from '../config/describe-value';
import { interpolateEnv, type Environment, type EnvOrigins } from '../config/interpolate-env';
import { parseYaml, type YamlDocument } from '../config/key-lines';
import { defaultRunDir } from '../config/load-config';
import type { OptionSpec } from '../config/option-spec';
import { ProblemList } from '../config/problem-list';
import { SHIP_NATS_SCHEMA } from '../config/ship-keys';

export interface VmSummary {
  /** Absolute path of the YAML file. */
  configPath: string;
  /** The `vm:` key when it is valid, else null. */
  vm: string | null;
  /** The line of `vm:`, to point at when two files name the same VM. */
  vmLine: number | null;
  /** The episode's run dir as `vmtel run` will compute it, or null when the file cannot tell. */
  runDir: string | null;
  stopGraceMs: number;
  /** With `ship:`, how long the stop's drain may take (drain_timeout_s); 0 without it. */
  shipDrainMs: number;
}

/** The summary of `configPath` (absolute); never throws for a broken or missing file. */
export function readVmSummary(configPath: string, env: Environment): VmSummary {
  const unknown: VmSummary = { configPath, vm: null, vmLine: null, runDir: null, stopGraceMs: TOP_LEVEL_SCHEMA.stop_grace_ms.default, shipDrainMs: 0 };
  const document = parseFile(configPath);
  if (document === null) return unknown;
  const problems = new ProblemList(configPath, document.lines);
  const origins: EnvOrigins = new Map();
  const top = interpolateEnv(document.data, env, [], problems, origins);
  if (!isMapping(top)) return unknown;

  const configDir = dirname(configPath);
  const bases = { configDir, runDir: configDir };
  const valid = (spec: OptionSpec, key: string): unknown => {
    if (!Object.hasOwn(top, key)) return undefined;
    const checked = checkInterpolated(spec, top[key], origins.get(key), bases);
    return checked.ok ? checked.value : undefined;
  };
  const vm = valid(TOP_LEVEL_SCHEMA.vm, 'vm') as string | undefined;
  const episode = valid(TOP_LEVEL_SCHEMA.episode, 'episode') as string | undefined;
  const runDir = Object.hasOwn(top, 'run_dir')
    ? (valid(RUN_DIR_SPEC, 'run_dir') as string | undefined)
    : vm === undefined || episode === undefined
      ? undefined
      : defaultRunDir(configDir, vm, episode);
  return {
    configPath,
    vm: vm ?? null,
    vmLine: vm === undefined ? null : document.lines.lineOf(['vm']),
    // An unset ${NAME} leaves a path vmtel will refuse; pm2's own log folder serves then.
    runDir: problems.toError().problems.length > 0 ? null : (runDir ?? null),
    stopGraceMs: (valid(TOP_LEVEL_SCHEMA.stop_grace_ms, 'stop_grace_ms') as number | undefined) ?? unknown.stopGraceMs,
    shipDrainMs: shipDrainMs(top['ship'], origins, bases),
  };
}

// A stop with `ship:` drains for up to drain_timeout_s after the workers stopped: pm2 must not
// kill vmtel in the middle of it (what is left would still ship later, but unrecorded).
function shipDrainMs(ship: unknown, origins: EnvOrigins, bases: { configDir: string; runDir: string }): number {
  if (ship === undefined) return 0;
  const nats = isMapping(ship) ? ship['nats'] : undefined;
  const spec = SHIP_NATS_SCHEMA.drain_timeout_s;
  const checked = isMapping(nats) && Object.hasOwn(nats, 'drain_timeout_s') ? checkInterpolated(spec, nats['drain_timeout_s'], origins.get('ship.nats.drain_timeout_s'), bases) : null;
  return (checked?.ok === true ? (checked.value as number) : spec.default) * 1000;
}

function parseFile(configPath: string): YamlDocument | null {
  try {
    return parseYaml(readFileSync(configPath, 'utf8'));
  } catch {
    // Unreadable or not YAML: `vmtel run` says which, with the line, into pm2's error log.
    return null;
  }
}
