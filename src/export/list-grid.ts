// The grid's columns of one source's lists (list-features.ts names them): per list, its elements'
// fields binned per element id (bin-values.ts), then one column per id and field. The ids are
// the data's, so they are read once, when the view is made.
import { binValueSql, intervalSql, rowValueSql, type BinRule } from './bin-values';
import type { Db } from './duckdb';
import { isListFeature, listRelations, patternName } from './list-features';
import type { RowSource } from './row-source';
import { sqlIdent, sqlString } from './sql-text';

export interface GridPart {
  ctes: string[];
  /** CTEs of (vm, episode, bin, …columns) to join to the grid. */
  joined: string[];
  /** The columns, as selected from the joined CTEs. */
  selects: string[];
  rules: Array<{ column: string; field: string; rule: BinRule }>;
}

/** The list columns of `source` (CTE names start with `prefix`); `place` places a row (its time and timeline segment), `binOf` maps a time to its bin. */
export async function listGridPart(db: Db, source: RowSource, prefix: string, place: { t: string; segment: string }, binOf: (t: string) => string): Promise<GridPart> {
  const part: GridPart = { ctes: [], joined: [], selects: [], rules: [] };
  const { rules } = source.sourceRules;
  const rowsOf = (column: string): string => `SELECT vm, episode, ${place.t} AS t, ${place.segment} AS segment, ${column} AS list_json FROM ${sqlIdent(source.view)}`;
  const relations = listRelations(source.layout, rowsOf);
  for (const [r, relation] of relations.entries()) {
    const fields = relation.fields
      .filter(({ name }) => isListFeature(relation, name, rules))
      .map((field) => ({ ...field, rule: (rules.isCounter(patternName(relation, field.name)) ? 'rate_per_s' : 'mean') as BinRule }));
    if (fields.length === 0) continue;
    const ids = (await db.rows(`SELECT DISTINCT id FROM (${relation.sql}) WHERE id IS NOT NULL`)).map((row) => String(row['id']));
    if (ids.length === 0) continue;
    ids.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    const name = `${prefix}l${r}`;
    const values = fields.map((field, j) => rowValueSql(field.rule, field.sql, field.integer, j));
    const window = intervalSql(fields.map((field) => field.rule), 't');
    const windowClause = window === '' ? '' : ' WINDOW w AS (PARTITION BY vm, episode, segment, id ORDER BY t)';
    part.ctes.push(
      `${name}p AS (SELECT vm, episode, id, ${binOf('t')} AS bin${window}, ${values.join(', ')} FROM (${relation.sql})${windowClause})`,
      `${name}a AS (SELECT vm, episode, bin, id, ${fields.map((field, j) => binValueSql(field.rule, j)).join(', ')} FROM ${name}p GROUP BY vm, episode, bin, id)`,
    );
    const pivot: string[] = [];
    ids.forEach((id, k) =>
      fields.forEach((field, j) => {
        const column = `${source.name}.${relation.rowList}.${id}${field.name === '' ? '' : `.${field.name}`}`;
        pivot.push(`max(f${j}) FILTER (id = ${sqlString(id)}) AS c${k}_${j}`);
        part.selects.push(`${name}.c${k}_${j} AS ${sqlIdent(column)}`);
        part.rules.push({ column, field: `${relation.rowList}.${id}${field.name === '' ? '' : `.${field.name}`}`, rule: field.rule });
      }),
    );
    part.ctes.push(`${name} AS (SELECT vm, episode, bin, ${pivot.join(', ')} FROM ${name}a GROUP BY vm, episode, bin)`);
    part.joined.push(name);
  }
  return part;
}
