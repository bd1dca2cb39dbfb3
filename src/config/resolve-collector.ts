// Turns one entry under `collectors:` into the CollectorEntry: finds its definition, checks the
// settings and the kind's options, and fills every default the entry leaves out.
import { checkKey, checkOptions, mappingAt, reportUnknownKeys, type MappingPlace } from './check-options';
import type { CollectorEntry } from './collector-entry';
import { findDefinition, type FoundDefinition } from './collector-definition';
import { defaultMaxHeapMb } from '../orchestrator/worker-limits';
import { COLLECTOR_KEYS, COLLECTOR_NAME_DOC, COLLECTOR_NAME_PATTERN, ENTRY_NAMING, ENTRY_SETTINGS } from './config-keys';
import type { EnvOrigins } from './interpolate-env';
import type { ProblemList } from './problem-list';

/** What every entry is resolved against. */
export interface CollectorBases {
  problems: ProblemList;
  configDir: string;
  runDir: string;
  /** The top-level `flush_ms`, each entry's default; undefined when it is wrong (and reported). */
  flushMs: number | undefined;
  origins: EnvOrigins;
}

const SHARED_KEYS = Object.keys(COLLECTOR_KEYS);

/** The entry resolved, or undefined when it is too broken to resolve (its problems are listed). */
export async function resolveCollector(name: string, entry: unknown, bases: CollectorBases): Promise<CollectorEntry | undefined> {
  const at = ['collectors', name];
  const place: MappingPlace = { at, problems: bases.problems, bases: { runDir: bases.runDir, configDir: bases.configDir }, origins: bases.origins };
  if (!COLLECTOR_NAME_PATTERN.test(name)) bases.problems.add(at, `invalid collector name; expected ${COLLECTOR_NAME_DOC}`);
  // `guest_agent:` with nothing after it means "all defaults", the same as `guest_agent: {}`.
  const mapping = mappingAt(entry, "a mapping of the collector's settings", at, bases.problems);
  if (mapping === undefined) return undefined;
  const kind = checkKey(mapping, 'kind', ENTRY_NAMING.kind, place) as string | undefined;
  const modulePath = checkKey(mapping, 'module', ENTRY_NAMING.module, place) as string | undefined;
  if (Object.hasOwn(mapping, 'kind') && Object.hasOwn(mapping, 'module')) {
    bases.problems.add([...at, 'module'], 'expected either kind or module, got both');
  }
  const named = (Object.hasOwn(mapping, 'kind') && kind === undefined) || (Object.hasOwn(mapping, 'module') && modulePath === undefined);
  // A wrong kind or module was reported; guessing the kind from the name would only add noise.
  const settingsMapping = Object.fromEntries(Object.entries(mapping).filter(([key]) => Object.hasOwn(ENTRY_SETTINGS, key)));
  const optionsMapping = Object.fromEntries(Object.entries(mapping).filter(([key]) => !SHARED_KEYS.includes(key)));
  const found = named ? undefined : await findDefinition({ at, name, kind, modulePath }, optionsMapping, { ...place, problems: bases.problems });
  // Without a definition its options cannot be checked; the entry's other problems still count.
  if (found === undefined) {
    for (const [key, spec] of Object.entries(ENTRY_SETTINGS)) checkKey(settingsMapping, key, spec, place);
    return undefined;
  }
  reportUnknownKeys(mapping, [...SHARED_KEYS, ...found.optionNames], place);
  return {
    name,
    kind: found.definition.kind,
    ...(found.modulePath === undefined ? {} : { module: found.modulePath }),
    ...checkOptions(settingsMapping, settingsOf(name, found, bases), place),
    options: found.options,
  };
}

// ENTRY_SETTINGS with the defaults this entry gets from its kind, its name and the top level.
function settingsOf(name: string, { definition, modulePath }: FoundDefinition, bases: CollectorBases) {
  return {
    ...ENTRY_SETTINGS,
    output: { ...ENTRY_SETTINGS.output, default: definition.defaultOutput ?? `telemetry-${name}.jsonl` },
    available_in_deployment: { ...ENTRY_SETTINGS.available_in_deployment, default: definition.defaultAvailableInDeployment === true },
    flush_ms: { ...ENTRY_SETTINGS.flush_ms, default: bases.flushMs ?? ENTRY_SETTINGS.flush_ms.default },
    max_heap_mb: { ...ENTRY_SETTINGS.max_heap_mb, default: defaultMaxHeapMb(definition.kind, modulePath !== undefined) },
  } as const;
}
