// The keys a config file may hold outside a kind's own options, declared as option specs so they
// are checked, defaulted and described by the same code as every collector option.
import { LOG_LEVELS } from '../collectors/contract';
import type { IntegerSpec, OptionSpec, PathSpec, StringSpec } from './option-spec';

// vm and episode name the pm2 app and folders of the run dir: no spaces, slashes or leading dot.
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const NAME_DOC = "letters, digits, '_', '.' and '-', starting with a letter or digit";

const flushMs = {
  type: 'integer',
  // A tenth of a second keeps at most that much of a collector's rows in memory if the host dies,
  // while batching enough rows per write for the fast collectors.
  default: 100,
  min: 1,
  // Ten seconds is already a lot of data at risk; beyond it batching gains nothing.
  max: 10_000,
  unit: 'milliseconds',
  doc: 'how often buffered rows are written to the output file',
} as const satisfies IntegerSpec;

// A mode as people write it for chmod, quoted in YAML ('0640'): YAML 1.2 reads an unquoted 0640
// as the decimal 640.
const MODE_PATTERN = /^0?[0-7]{3}$/;
const MODE_DOC = "an octal mode such as '0640' (quoted)";

/** Top-level keys checked as options; `run_dir`, `restart` and `collectors` are handled apart. */
export const TOP_LEVEL_SCHEMA = {
  vm: { type: 'string', pattern: NAME_PATTERN, patternDoc: NAME_DOC, doc: 'name of the VM; names the pm2 app and the run dir' },
  episode: { type: 'string', pattern: NAME_PATTERN, patternDoc: NAME_DOC, doc: 'name of the experiment episode' },
  log_level: { type: 'string', oneOf: LOG_LEVELS, default: 'info', doc: 'lowest level written to the log' },
  stop_grace_ms: {
    type: 'integer',
    // Three seconds lets a collector flush a large batch and close its sockets even on a busy host.
    default: 3000,
    // Under a tenth of a second a worker cannot reliably flush; over a minute a stop feels hung.
    min: 100,
    max: 60_000,
    unit: 'milliseconds',
    doc: 'how long workers get to flush and close at stop before they are terminated',
  },
  flush_ms: flushMs,
  unresponsive_after_ms: {
    type: 'integer',
    // Ten seconds: a worker's loop turns at least every second (its heartbeat), so ten missed
    // beats is a thread stuck in a loop, not a slow one.
    default: 10_000,
    // Three beats: under that, a heartbeat delayed by a loaded host would be taken for a blocked thread.
    min: 3000,
    max: 600_000,
    unit: 'milliseconds',
    doc: 'a collector whose thread has not turned its event loop for this long is terminated and restarted',
  },
  // Guest telemetry can hold what the guest's user typed: readable by the running user and its
  // group (an analysts' group), never by everyone.
  file_mode: { type: 'string', pattern: MODE_PATTERN, patternDoc: MODE_DOC, default: '0640', doc: 'mode of the files vmtel creates in the run dir' },
  // Not writable by the group unless asked: a run dir others can write to is refused at start
  // (see docs/threat-model.md), except for the bits dir_mode itself grants.
  dir_mode: { type: 'string', pattern: MODE_PATTERN, patternDoc: MODE_DOC, default: '0750', doc: 'mode of the run dir when vmtel creates it; group/other write bits beyond it are refused' },
} as const satisfies Record<string, StringSpec | IntegerSpec>;

/** `run_dir:`; its default, `runs/<vm>/<episode>`, depends on other keys. */
export const RUN_DIR_SPEC: PathSpec = {
  type: 'path',
  relativeTo: 'config_dir',
  doc: 'folder for the telemetry files, events.jsonl and episode.json',
};

const restartDelay = (defaultMs: number, maxMs: number, doc: string): IntegerSpec => ({
  type: 'integer',
  default: defaultMs,
  min: 1,
  max: maxMs,
  unit: 'milliseconds',
  doc,
});

// An hour bounds every delay: a longer one is a collector given up in all but name.
const HOUR_MS = 3_600_000;

/** `restart:`, the backoff for a collector that failed. */
export const RESTART_SCHEMA = {
  // Five quick failures in a row mean the source is gone, not flaky; a thousand is "never give up".
  max_restarts: { type: 'integer', default: 5, min: 0, max: 1000, doc: 'restarts before a failing collector is given up' },
  // Half a second is long enough for a restarting QEMU socket to come back, short enough to lose little.
  initial_delay_ms: restartDelay(500, HOUR_MS, 'delay before the first restart; doubles with each further one'),
  // Thirty seconds caps the doubling so a recovered source is picked up soon.
  max_delay_ms: restartDelay(30_000, HOUR_MS, 'longest delay between restarts'),
  // A minute without failing means the last failure was a blip: the restart count starts over.
  reset_after_ms: restartDelay(60_000, 24 * HOUR_MS, 'a collector running this long gets its restart count back'),
} as const satisfies Record<string, IntegerSpec>;

// Collector entry names become the `source` of rows and file names: no dots, spaces or slashes.
export const COLLECTOR_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
export const COLLECTOR_NAME_DOC = "letters, digits, '_' and '-', starting with a letter or digit";

/**
 * Settings every collector entry has beside its kind's options. Each is a key of the resolved
 * entry (collector-entry.ts) as the option spec types it, so a new one is this line and its
 * consumer. The defaults of output, available_in_deployment, flush_ms and max_heap_mb depend on
 * the entry (its kind, its name, the top-level flush_ms) and are filled per entry.
 */
export const ENTRY_SETTINGS = {
  enabled: { type: 'boolean', default: true, doc: 'false keeps the entry without running it' },
  output: { type: 'path', relativeTo: 'run_dir', doc: 'JSONL file for the rows' },
  available_in_deployment: { type: 'boolean', doc: 'whether a deployed detector could see this data' },
  flush_ms: flushMs,
  max_heap_mb: {
    type: 'integer',
    // 16 MB is about what an empty worker needs; 16 GB is more than a collector beside a VM may take.
    min: 16,
    max: 16_384,
    unit: 'MiB',
    doc: "the most JS heap the collector's worker may use; over it the worker is ended and restarted",
  },
} as const satisfies Record<string, OptionSpec>;

/** How an entry names its collector: a built-in kind or a user's module. */
export const ENTRY_NAMING = {
  kind: { type: 'string', doc: 'built-in kind; defaults to the entry name' },
  module: { type: 'path', relativeTo: 'config_dir', doc: 'a JS module exporting `collector`, instead of kind' },
} as const satisfies Record<string, OptionSpec>;

/** Keys every collector entry may hold beside its kind's options. */
export const COLLECTOR_KEYS = { ...ENTRY_NAMING, ...ENTRY_SETTINGS } as const;
