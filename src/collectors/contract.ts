// The collector contract: what a collector is given and what it must do. Built-in collectors and
// a user's own `module:` collector implement the same interface, so a user's collector gets the
// same worker thread, supervision, stamping, counters and events as the built-in ones.
//
// A collector's `run` is called in its own worker thread. It writes rows through `ctx.rows`
// (batched to its own JSONL file), reports lifecycle through `ctx.emit` (merged into
// events.jsonl), counts drops in `ctx.counters`, and returns when `ctx.stopSignal` aborts or when
// its source is gone for good. Throwing means "failed": the orchestrator restarts it with backoff.
import type { OptionSchema, OptionsOf } from '../config/option-spec';
import type { ControlBlock } from '../control/control-block';

/** vmtel's log levels, most severe first. */
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface CollectorLog {
  error(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
}

export interface RowWriter {
  /**
   * Appends one row, `{t_mono_ns, t_wall_ns, source, available_in_deployment, ...fields}`, stamped
   * at `tMonoNs` (default: now). bigint fields are written as exact integers.
   */
  write(fields: Record<string, unknown>, tMonoNs?: bigint): void;
  /** Appends `count` ready-made rows: complete JSON lines, each ending in "\n". The hot path. */
  writeLines(lines: string, count: number): void;
}

export interface Counters {
  /** Counts `n` dropped inputs under `reason` (e.g. "malformed_json"). */
  drop(reason: string, n?: number): void;
  /**
   * Sets a collector-specific figure reported with the counts (e.g. connects, missed_ticks).
   * Figures named `longest_*` or `max_*` are maxima and merge across restarts by max; all others
   * are totals and merge by sum.
   */
  set(name: string, value: number): void;
  /** Adds to a collector-specific figure. */
  add(name: string, n?: number): void;
}

/** Counts a collector reports in `collector_stopped` and `episode.json`. */
export interface CollectorCounts {
  rows: number;
  bytes: number;
  dropped: Record<string, number>;
  stats: Record<string, number>;
}

export interface CollectorContext<Options> {
  /** The config entry's name: the `source` of its rows and events. */
  readonly name: string;
  readonly kind: string;
  readonly options: Options;
  readonly runDir: string;
  readonly availableInDeployment: boolean;
  readonly control: ControlBlock;
  /** Aborts when the episode's stop flag is raised; every wait of a collector listens to it. */
  readonly stopSignal: AbortSignal;
  readonly rows: RowWriter;
  readonly counters: Counters;
  readonly log: CollectorLog;
  /**
   * Records `{t_mono_ns, t_wall_ns, source, event, ...fields}` in events.jsonl, stamped now.
   * Events are budgeted per name; `budgetKey` gives one kind of an event a budget of its own (qmp
   * keys each QMP event name apart, so a flood of one never hides another).
   */
  emit(event: string, fields?: Record<string, unknown>, budgetKey?: string): void;
  /** Asks the orchestrator to end the whole episode cleanly (the VM shut down, say). */
  endEpisode(reason: string): void;
  /** Shares a value with the episode's other collectors under `topic` (the latest one wins). */
  publish(topic: string, value: unknown): void;
  /** Calls `handler` with the latest value of `topic`, now if one exists and on every change. */
  subscribe(topic: string, handler: (value: unknown) => void): void;
}

/** Why `run` returned; recorded as the `reason` of `collector_stopped`. */
export interface CollectorOutcome {
  reason: string;
}

export interface CollectorDefinition<S extends OptionSchema = OptionSchema> {
  /** The name used as `kind:` in a config (and as the entry name by default). */
  readonly kind: string;
  /** One line: what the collector records. */
  readonly description: string;
  readonly options: S;
  /** Output file name when the config names none; otherwise `telemetry-<name>.jsonl`. */
  readonly defaultOutput?: string;
  readonly defaultAvailableInDeployment: boolean;
  /**
   * The figures the collector reports in `stats`, each present from its start with 0, so "none"
   * can be told from "not counted". Each is documented with the collector.
   */
  readonly stats?: readonly string[];
  /**
   * The row fields that are counters (cumulative: CPU time, bytes, packets), as flattened names
   * (`a.b` for key b of object a) where `*` stands for any characters. `vmtel export` puts them on
   * its grid as a rate per second; every other numeric field is a gauge (the bin's mean).
   */
  readonly counters?: readonly string[];
  run(ctx: CollectorContext<OptionsOf<S>>): Promise<CollectorOutcome>;
}

/** Declares a collector with its options' types inferred from the schema. */
export function defineCollector<S extends OptionSchema>(definition: CollectorDefinition<S>): CollectorDefinition<S> {
  return definition;
}
