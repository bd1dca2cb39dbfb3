// features: the aligned table. One row per episode per grid bin on the episode's shared timeline
// (bin k covers [k × grid, (k+1) × grid) ns of t_mono_ns, each segment placed by
// episode-timeline.ts; a guest row is placed by t_guest_host_ns when it has one). Per source: `<source>.rows_in_bin`, then each numeric field:
// a counter as its rate per second over the intervals that end in the bin, a gauge as the mean of
// the bin's rows (bin-values.ts); then its lists' elements' fields (list-grid.ts). A bin without
// rows has rows_in_bin 0 and nulls: nothing is carried over.
// `phase` is the name of the last phase marker at or before the bin's start.
import { binValueSql, intervalSql, rowValueSql, type BinRule } from './bin-values';
import type { Db } from './duckdb';
import { episodeColumnNames, episodeColumnsSql } from './episode-columns';
import type { EpisodeInput } from './episode-input';
import { episodeEndNs, segmentSql, timelineSql } from './episode-timeline';
import { EVENTS_TABLE } from './event-table';
import { isIntegerType, NUMERIC_TYPES } from './field-layout';
import { isFeatureField } from './field-rules';
import { listGridPart } from './list-grid';
import type { RowSource } from './row-source';
import { sqlIdent } from './sql-text';

export const FEATURES_VIEW = 'features';

/** How one numeric field of a source becomes a feature column. */
export interface FeatureRule {
  column: string;
  field: string;
  rule: BinRule;
}

/** The feature columns of `source`, in table order. */
export function featureRules(source: RowSource): FeatureRule[] {
  const { rules } = source.sourceRules;
  return source.layout.columns
    .filter((column) => (NUMERIC_TYPES.has(column.type) || column.type.startsWith('DECIMAL')) && isFeatureField(column.name, rules))
    .map((column) => ({ column: `${source.name}.${column.name}`, field: column.name, rule: rules.isCounter(column.name) ? 'rate_per_s' : 'mean' }));
}

/** A feature column and where it came from, for dataset.json. */
export interface FeatureColumn extends FeatureRule {
  source: string;
}

/** Creates the features view over the rows views of `sources` and the events table; returns its field columns. */
export async function createFeaturesView(db: Db, episodes: readonly EpisodeInput[], sources: readonly RowSource[], labelKeys: readonly string[], gridNs: bigint): Promise<FeatureColumn[]> {
  const identity = episodeColumnNames(labelKeys);
  const spans = episodes
    .map((episode) => `SELECT ${episodeColumnsSql(episode, labelKeys)}, ${endNsOf(episode)}::BIGINT AS end_ns`)
    .join(' UNION ALL ');
  const binOf = (t: string): string => `(CASE WHEN ${t} >= 0 THEN ${t} // ${gridNs} ELSE -((-${t} - 1) // ${gridNs}) - 1 END)`;
  const ctes = [`spans AS (${spans})`];
  // The bin holding the episode's last instant (end_ns is exclusive).
  // Events and rows placed on their episode's one timeline (several segments after a reboot).
  const eventT = timelineSql(episodes, 't_mono_ns', 't_wall_ns');
  const extents = [`SELECT vm, episode, ${binOf('greatest(end_ns - 1, 0)')} AS bin FROM spans`, `SELECT vm, episode, ${binOf(eventT)} FROM ${EVENTS_TABLE}`];
  const joins: string[] = [];
  const selects: string[] = [];
  const columns: FeatureColumn[] = [];
  for (const [i, source] of sources.entries()) {
    const rules = featureRules(source);
    const has = (name: string): boolean => source.layout.columns.some((column) => column.name === name);
    const recorded = has('t_guest_host_ns') ? 'coalesce(t_guest_host_ns, t_mono_ns)' : 't_mono_ns';
    const t = has('t_wall_ns') ? timelineSql(episodes, recorded, 't_wall_ns') : recorded;
    const segment = has('t_wall_ns') ? segmentSql(episodes, 't_wall_ns') : '0';
    const fieldType = new Map(source.layout.columns.map((column) => [column.name, column.type]));
    const inner = rules.map(({ field, rule }, j) => rowValueSql(rule, sqlIdent(field), isIntegerType(fieldType.get(field) ?? ''), j));
    // Only counters need the previous row; a source of gauges (the guest's millions of rows) is
    // grouped without sorting it.
    const window = intervalSql(rules.map(({ rule }) => rule), t);
    const windowClause = window === '' ? '' : ` WINDOW w AS (PARTITION BY vm, episode, ${segment} ORDER BY ${t})`;
    ctes.push(`p${i} AS (SELECT vm, episode, ${binOf(t)} AS bin${window}${inner.map((s) => `, ${s}`).join('')} FROM ${sqlIdent(source.view)}${windowClause})`);
    const aggregates = rules.map(({ rule }, j) => binValueSql(rule, j));
    ctes.push(`a${i} AS (SELECT vm, episode, bin, count(*) AS n${aggregates.map((s) => `, ${s}`).join('')} FROM p${i} GROUP BY vm, episode, bin)`);
    extents.push(`SELECT vm, episode, bin FROM a${i}`);
    joins.push(joinSql(`a${i}`));
    selects.push(`coalesce(a${i}.n, 0) AS ${sqlIdent(`${source.name}.rows_in_bin`)}`, ...rules.map(({ column }, j) => `a${i}.f${j} AS ${sqlIdent(column)}`));
    columns.push(...rules.map((rule) => ({ ...rule, source: source.name })));
    const lists = await listGridPart(db, source, `s${i}`, { t, segment }, binOf);
    ctes.push(...lists.ctes);
    joins.push(...lists.joined.map(joinSql));
    selects.push(...lists.selects);
    columns.push(...lists.rules.map((rule) => ({ ...rule, source: source.name })));
  }
  ctes.push(
    `extent AS (SELECT vm, episode, least(0, min(bin)) AS lo, max(bin) AS hi FROM (${extents.join(' UNION ALL ')}) GROUP BY vm, episode)`,
    `grid AS (SELECT s.* EXCLUDE (end_ns), unnest(range(e.lo, e.hi + 1)) AS bin FROM spans s JOIN extent e USING (vm, episode))`,
    `phases AS (SELECT vm, episode, ${eventT} AS t, name FROM ${EVENTS_TABLE} WHERE event = 'marker' AND phase AND t_mono_ns IS NOT NULL)`,
  );
  const gridColumns = identity.map((column) => `g.${column}`).join(', ');
  await db.run(
    `CREATE OR REPLACE VIEW ${FEATURES_VIEW} AS WITH ${ctes.join(', ')} ` +
      `SELECT ${gridColumns}, g.bin, g.bin * ${gridNs} AS t_start_ns, ph.name AS phase${selects.map((s) => `, ${s}`).join('')} ` +
      `FROM grid g ASOF LEFT JOIN phases ph ON ph.vm = g.vm AND ph.episode = g.episode AND g.bin * ${gridNs} >= ph.t ` +
      `${joins.join(' ')} ORDER BY g.vm, g.episode, g.bin`,
  );
  return columns;
}

// A relation of (vm, episode, bin, …) joined to the grid's bin.
function joinSql(relation: string): string {
  return `LEFT JOIN ${relation} ON ${relation}.vm = g.vm AND ${relation}.episode = g.episode AND ${relation}.bin = g.bin`;
}

// The episode's last instant on its timeline when it stopped, else 0 (the rows and events then
// set the extent).
function endNsOf(episode: EpisodeInput): string {
  return String(episodeEndNs(episode.manifest) ?? 0n);
}
