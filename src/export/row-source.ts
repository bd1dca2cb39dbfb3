// One source's rows across the exported episodes, as one DuckDB view. DuckDB's read_json is the
// reader: it infers every key's type over all rows of all the source's files (sample_size -1),
// the export then declares the types it knows (field-rules.ts) and reads the files with those
// columns. A torn line (an unfinished last line) reads as a row of nulls and is left out; so is
// a row a declared type cannot hold; both show as fewer rows exported than the manifest recorded.
import { statSync } from 'node:fs';
import type { Db } from './duckdb';
import type { EpisodeInput, SourceInput } from './episode-input';
import { episodeColumnsSql, labelColumn } from './episode-columns';
import { columnExpression, layoutOf, type FieldLayout } from './field-layout';
import { WIDE_INTEGER } from './field-rules';
import { rulesOfSource, type SourceRules } from './source-rules';
import { sqlIdent, sqlString, sqlStringList } from './sql-text';

// DuckDB's default bound on one row; every scan holds buffers of this size, so it is raised only
// for a source that accepts longer lines (guest_agent's max_line_bytes, up to 64 MiB), by the
// room the host's keys take in front of the guest's.
const DEFAULT_OBJECT_BYTES = 16 * 1024 * 1024;
const HOST_KEYS_BYTES = 64 * 1024;
const readOptions = (objectBytes: number): string => `format='newline_delimited', ignore_errors=true, maximum_object_size=${objectBytes}`;
// Inference over every row, and objects always as STRUCTs (never MAPs), so every key is a column.
const INFER_OPTIONS = 'sample_size=-1, map_inference_threshold=-1, field_appearance_threshold=0';

export interface RowSource {
  name: string;
  /** True only when every episode recorded the source as available in deployment. */
  deployable: boolean;
  files: Array<{ episode: EpisodeInput; path: string }>;
  layout: FieldLayout;
  sourceRules: SourceRules;
  /** The view's name in DuckDB. */
  view: string;
  /** read_json's options for this source's files. */
  readOptions: string;
}

/** Every source of `episodes` that `keep` accepts, with at least one non-empty rows file, its layout found by DuckDB. */
export async function discoverRowSources(db: Db, episodes: readonly EpisodeInput[], keep: (name: string) => boolean, labelKeys: readonly string[]): Promise<RowSource[]> {
  const reserved = ['vm', 'episode', ...labelKeys.map(labelColumn)];
  const byName = new Map<string, Array<{ episode: EpisodeInput; source: SourceInput }>>();
  for (const episode of episodes) {
    for (const source of episode.sources.filter(({ name }) => keep(name))) byName.set(source.name, [...(byName.get(source.name) ?? []), { episode, source }]);
  }
  const sources: RowSource[] = [];
  for (const [name, entries] of [...byName].sort(([a], [b]) => a.localeCompare(b))) {
    const files = entries.filter(({ source }) => sizeOf(source.rowsPath) > 0).map(({ episode, source }) => ({ episode, path: source.rowsPath }));
    const sourceRules = await rulesOfSource(entries.map(({ source }) => source));
    const deployable = entries.every(({ source }) => source.availableInDeployment);
    if (files.length === 0) continue;
    const longestLine = Math.max(0, ...entries.map(({ source }) => source.maxLineBytes ?? 0));
    const options = readOptions(Math.max(DEFAULT_OBJECT_BYTES, longestLine + HOST_KEYS_BYTES));
    const layout = await findLayout(db, files.map(({ path }) => path), sourceRules, options, reserved);
    sources.push({ name, deployable, files, layout, sourceRules, view: `rows_${name}`, readOptions: options });
  }
  return sources;
}

/** Creates the source's view: identity columns, then its flattened fields; only whole rows. */
export async function createRowsView(db: Db, source: RowSource, labelKeys: readonly string[]): Promise<void> {
  const fields = source.layout.columns.map((column) => `${columnExpression(column)}::${column.type} AS ${sqlIdent(column.name)}`).join(', ');
  const parts = source.files.map(
    ({ episode, path }) =>
      `SELECT ${episodeColumnsSql(episode, labelKeys)}, ${fields} FROM read_json(${sqlString(path)}, ${source.readOptions}, columns=${source.layout.readColumns}) WHERE t_mono_ns IS NOT NULL`,
  );
  await db.run(`CREATE OR REPLACE VIEW ${sqlIdent(source.view)} AS ${parts.join(' UNION ALL ')}`);
}

async function findLayout(db: Db, paths: string[], { rules }: SourceRules, options: string, reserved: readonly string[]): Promise<FieldLayout> {
  const inferred = await db.structure(`SELECT * FROM read_json(${sqlStringList(paths)}, ${options}, ${INFER_OPTIONS}) LIMIT 0`);
  const first = layoutOf(inferred, rules.typeOf, reserved);
  const wide = first.columns.filter((column) => column.type === WIDE_INTEGER);
  if (wide.length === 0) return first;
  // Parquet has no 128-bit integer (DuckDB would write HUGEINT as DOUBLE): a column wider than
  // BIGINT becomes UBIGINT when no value is negative, else DECIMAL(38,0); both are exact.
  const checks = wide.map((column, i) => `min(${columnExpression(column)}) >= 0 AS c${i}`).join(', ');
  const [unsigned = {}] = await db.rows(`SELECT ${checks} FROM read_json(${sqlStringList(paths)}, ${options}, columns=${first.readColumns})`);
  const resolved = new Map(wide.map((column, i) => [column.name, unsigned[`c${i}`] === false ? 'DECIMAL(38,0)' : 'UBIGINT']));
  return layoutOf(inferred, (name, type) => resolved.get(name) ?? rules.typeOf(name, type), reserved);
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
