// Turns one entry under `collectors:` into a CollectorConfig: finds its definition, checks the
// shared keys and the kind's options, and fills every default the entry leaves out.
import type { CollectorConfig } from './episode-config';
import { checkKey, checkOptions, mappingAt, reportUnknownKeys, type MappingPlace } from './check-options';
import { findDefinition } from './collector-definition';
import { defaultMaxHeapMb } from '../orchestrator/worker-limits';
import { COLLECTOR_KEYS, COLLECTOR_NAME_DOC, COLLECTOR_NAME_PATTERN } from './config-keys';
import { resolvePathOption } from './option-defaults';
import type { EnvOrigins } from './interpolate-env';
import type { ProblemList } from './problem-list';

/** What every entry is resolved against. */
export interface CollectorBases {
  problems: ProblemList;
  configDir: string;
  runDir: string;
  /** The top-level `flush_ms`, each entry's default. */
  flushMs: number;
  origins: EnvOrigins;
}

const SHARED_KEYS = Object.keys(COLLECTOR_KEYS);

export interface ResolvedCollector {
  config: CollectorConfig;
  /** The entry as `vmtel validate` prints it: snake_case, every default filled, paths absolute. */
  resolved: Record<string, unknown>;
}

/** The entry resolved, or undefined when it is too broken to resolve (its problems are listed). */
export async function resolveCollector(name: string, entry: unknown, bases: CollectorBases): Promise<ResolvedCollector | undefined> {
  const at = ['collectors', name];
  const place: MappingPlace = { at, problems: bases.problems, bases: { runDir: bases.runDir, configDir: bases.configDir }, origins: bases.origins };
  if (!COLLECTOR_NAME_PATTERN.test(name)) bases.problems.add(at, `invalid collector name; expected ${COLLECTOR_NAME_DOC}`);
  // `guest_agent:` with nothing after it means "all defaults", the same as `guest_agent: {}`.
  const mapping = mappingAt(entry, "a mapping of the collector's settings", at, bases.problems);
  if (mapping === undefined) return undefined;
  const kind = checkKey(mapping, 'kind', COLLECTOR_KEYS.kind, place) as string | undefined;
  const modulePath = checkKey(mapping, 'module', COLLECTOR_KEYS.module, place) as string | undefined;
  if (Object.hasOwn(mapping, 'kind') && Object.hasOwn(mapping, 'module')) {
    bases.problems.add([...at, 'module'], 'expected either kind or module, got both');
  }
  const enabled = checkKey(mapping, 'enabled', COLLECTOR_KEYS.enabled, place) as boolean | undefined;
  const output = checkKey(mapping, 'output', COLLECTOR_KEYS.output, place) as string | undefined;
  const available = checkKey(mapping, 'available_in_deployment', COLLECTOR_KEYS.available_in_deployment, place) as boolean | undefined;
  const flushMs = checkKey(mapping, 'flush_ms', COLLECTOR_KEYS.flush_ms, place) as number | undefined;
  const maxHeapMb = checkKey(mapping, 'max_heap_mb', COLLECTOR_KEYS.max_heap_mb, place) as number | undefined;

  // A wrong kind or module was reported; guessing the kind from the name would only add noise.
  if ((Object.hasOwn(mapping, 'kind') && kind === undefined) || (Object.hasOwn(mapping, 'module') && modulePath === undefined)) {
    return undefined;
  }
  const found = await findDefinition({ at, name, kind, modulePath }, bases.problems);
  // Without a definition its options cannot be checked; the entry's other problems still count.
  if (found === undefined) return undefined;
  const { definition } = found;
  reportUnknownKeys(mapping, [...SHARED_KEYS, ...Object.keys(definition.options)], place);
  const optionsMapping = Object.fromEntries(Object.entries(mapping).filter(([key]) => !SHARED_KEYS.includes(key)));
  const config: CollectorConfig = {
    name,
    kind: definition.kind,
    modulePath: found.modulePath,
    enabled: enabled ?? COLLECTOR_KEYS.enabled.default,
    outputPath: output ?? resolvePathOption(COLLECTOR_KEYS.output, definition.defaultOutput ?? `telemetry-${name}.jsonl`, place.bases),
    availableInDeployment: available ?? definition.defaultAvailableInDeployment === true,
    flushMs: flushMs ?? bases.flushMs,
    maxHeapMb: maxHeapMb ?? defaultMaxHeapMb(definition.kind, found.modulePath !== undefined),
    options: checkOptions(optionsMapping, definition.options, place),
  };
  // Shaped as a config entry (a kind's options beside the shared keys, module instead of kind),
  // so the printed config is itself a config that resolves to the same thing.
  const resolved = {
    ...(modulePath === undefined ? { kind: config.kind } : { module: modulePath }),
    enabled: config.enabled,
    output: config.outputPath,
    available_in_deployment: config.availableInDeployment,
    flush_ms: config.flushMs,
    max_heap_mb: config.maxHeapMb,
    ...config.options,
  };
  return { config, resolved };
}
