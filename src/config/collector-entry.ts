// The one model of a collector entry: the loader resolves each entry under `collectors:` into
// this record once (defaults filled, paths absolute), and the same record is what `vmtel
// validate` prints, what the worker receives (thread-messages.ts), what episode.json keeps and
// what the in-thread test harness runs. Its settings are typed by their option specs.
import type { OptionsOf } from './option-spec';
import type { ENTRY_SETTINGS } from './config-keys';

/** The settings every entry has (config-keys.ts ENTRY_SETTINGS), as resolved. */
export type EntrySettings = OptionsOf<typeof ENTRY_SETTINGS>;

export interface CollectorEntry extends EntrySettings {
  /** The entry's key under `collectors:`; the `source` of its rows and events. */
  readonly name: string;
  /** The definition's kind (a user's module declares its own). */
  readonly kind: string;
  /** Absolute path of the user's module that exports `collector`; absent for a built-in kind. */
  readonly module?: string;
  /** The kind's options, validated, defaults filled, paths absolute. */
  readonly options: Readonly<Record<string, unknown>>;
}

/**
 * The entry as a config entry: its settings and its kind's options side by side, `module`
 * instead of `kind` for a user's collector. The printed config resolves to the same entry.
 */
export function entryAsConfig(entry: CollectorEntry): Record<string, unknown> {
  const { name: _name, kind, module, options, ...settings } = entry;
  return { ...(module === undefined ? { kind } : { module }), ...settings, ...options };
}
