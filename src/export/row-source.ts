// One source's rows across the exported episodes, as one DuckDB view. The types are vmtel's own:
// the structure of every line of the source's files (json-structure.ts: every key, each integer
// as wide as its values need), with the declared types of known fields (field-rules.ts) over it;
// DuckDB's read_json then reads the files with those columns, never guessing. A torn line (an
// unfinished last line) reads as a row of nulls and is left out; so is a row a declared type
// cannot hold; both show as fewer rows exported than the manifest recorded.
import { statSync } from 'node:fs';
import type { Db } from './duckdb';
import type { EpisodeInput, SourceInput } from './episode-input';
import { episodeColumnsSql, labelColumn } from './episode-columns';
import { columnExpression, layoutOf, type FieldLayout, type Structure } from './field-layout';
import { rulesOfSource, type SourceRules } from './source-rules';
import { sqlIdent, sqlString } from './sql-text';

// DuckDB's default bound on one row; every scan holds buffers of this size, so it is raised only
// for a source that accepts longer lines (guest_agent's max_line_bytes, up to 64 MiB), by the
// room the host's keys take in front of the guest's.
const DEFAULT_OBJECT_BYTES = 16 * 1024 * 1024;
const HOST_KEYS_BYTES = 64 * 1024;
const readOptions = (objectBytes: number): string => `format='newline_delimited', ignore_errors=true, maximum_object_size=${objectBytes}`;

/** A source to export, before its layout is known. */
export interface SourcePlan {
  name: string;
  /** True only when every episode recorded the source as available in deployment. */
  deployable: boolean;
  files: Array<{ episode: EpisodeInput; path: string }>;
  sourceRules: SourceRules;
  /** The view's name in DuckDB. */
  view: string;
  /** read_json's options for this source's files. */
  readOptions: string;
  /** Column names the table has already (vm, episode, labels). */
  reserved: string[];
}

export interface RowSource extends SourcePlan {
  layout: FieldLayout;
}

/** Every source of `episodes` that `keep` accepts, with at least one non-empty rows file. */
export async function planRowSources(episodes: readonly EpisodeInput[], keep: (name: string) => boolean, labelKeys: readonly string[]): Promise<SourcePlan[]> {
  const reserved = ['vm', 'episode', ...labelKeys.map(labelColumn)];
  const byName = new Map<string, Array<{ episode: EpisodeInput; source: SourceInput }>>();
  for (const episode of episodes) {
    for (const source of episode.sources.filter(({ name }) => keep(name))) byName.set(source.name, [...(byName.get(source.name) ?? []), { episode, source }]);
  }
  const plans: SourcePlan[] = [];
  for (const [name, entries] of [...byName].sort(([a], [b]) => a.localeCompare(b))) {
    const files = entries.filter(({ source }) => sizeOf(source.rowsPath) > 0).map(({ episode, source }) => ({ episode, path: source.rowsPath }));
    const sourceRules = await rulesOfSource(entries.map(({ source }) => source));
    const deployable = entries.every(({ source }) => source.availableInDeployment);
    if (files.length === 0) continue;
    const longestLine = Math.max(0, ...entries.map(({ source }) => source.maxLineBytes ?? 0));
    const options = readOptions(Math.max(DEFAULT_OBJECT_BYTES, longestLine + HOST_KEYS_BYTES));
    plans.push({ name, deployable, files, sourceRules, view: `rows_${name}`, readOptions: options, reserved });
  }
  return plans;
}

/** The source of `plan` whose rows have the structure `structure` (json-structure.ts). */
export function withLayout(plan: SourcePlan, structure: Structure): RowSource {
  return { ...plan, layout: layoutOf(structure, plan.sourceRules.rules.typeOf, plan.reserved) };
}

/** Whether two layouts make the same table (same columns, same types, read the same way). */
export function sameTable(a: FieldLayout, b: FieldLayout): boolean {
  const columns = (layout: FieldLayout): string => JSON.stringify(layout.columns.map(({ name, type }) => [name, type]));
  return a.readColumns === b.readColumns && columns(a) === columns(b);
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

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
