// events.parquet: every event of every episode, markers and phases included. The columns every
// event has are typed; marker events (`event: "marker"`) fill `name` and `phase`; every other
// key of an event stays in `fields`, one JSON object with integers exact.
import type { ExactJson } from '../sink/exact-json';
import { toJson } from '../sink/json-line';
import type { Db } from './duckdb';
import { labelColumn } from './episode-columns';
import type { EpisodeInput } from './episode-input';
import { createLiteralTable, type LiteralColumn, type LiteralValue } from './literal-table';

export const EVENTS_TABLE = 'events';
/** The source of markers (`vmtel mark`, the agent's marks): labels, not telemetry. */
export const MARKER_SOURCE = 'control';

const TYPED_KEYS = ['t_mono_ns', 't_wall_ns', 'source', 'event', 'name', 'phase'];

/** Creates the events table; with `keepSource`, only events whose source it accepts. */
export async function createEventsTable(db: Db, episodes: readonly EpisodeInput[], labelKeys: readonly string[], keepSource: (source: string) => boolean): Promise<void> {
  const columns: LiteralColumn[] = [
    { name: 'vm', type: 'VARCHAR' },
    { name: 'episode', type: 'VARCHAR' },
    ...labelKeys.map((key): LiteralColumn => ({ name: labelColumn(key), type: 'VARCHAR' })),
    { name: 't_mono_ns', type: 'BIGINT' },
    { name: 't_wall_ns', type: 'BIGINT' },
    { name: 'source', type: 'VARCHAR' },
    { name: 'event', type: 'VARCHAR' },
    { name: 'name', type: 'VARCHAR' },
    { name: 'phase', type: 'BOOLEAN' },
    { name: 'fields', type: 'JSON' },
  ];
  const records = episodes.flatMap((episode) =>
    episode.events
      .filter((event) => keepSource(String(event['source'])))
      .map((event): Record<string, LiteralValue> => {
        const fields = Object.fromEntries(Object.entries(event).filter(([key]) => !TYPED_KEYS.includes(key)));
        const record: Record<string, LiteralValue> = {
          vm: episode.manifest.vm,
          episode: episode.manifest.episode,
          fields: toJson(fields),
        };
        for (const key of TYPED_KEYS) record[key] = scalar(event[key]);
        for (const key of labelKeys) record[labelColumn(key)] = episode.labels[key];
        return record;
      }),
  );
  await createLiteralTable(db, EVENTS_TABLE, columns, records);
}

function scalar(value: ExactJson | undefined): LiteralValue {
  return value === null || typeof value !== 'object' ? value : toJson(value);
}
