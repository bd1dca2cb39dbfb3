// Lists on the feature grid. A row's lists (host's per-CPU `cpus`, qemu_process's per-thread
// `threads`, qmp's per-disk and per-vCPU replies, a guest's arrays) are one JSON column in rows/;
// on the grid, each element's numeric fields become columns of their own, the element named by a
// stable id it carries: `host.cpus.cpu=0.user_ms`, `qemu_process.threads.vcpu_index=1.utime_ms`,
// `qmp.results.query_blockstats.device=virtio0.stats.rd_bytes`. An element with no id key is
// named by its position, `[0]`. A list nested in an element nests the name the same way.
import { isIntegerType, NUMERIC_TYPES, type FieldLayout, type Structure } from './field-layout';
import { isFeatureField, type FieldRules } from './field-rules';
import { sqlIdent, sqlString } from './sql-text';

// The keys that name an element, in order of preference: the first one an element has (and is
// not empty) is its id. A vCPU's index before the host thread running it (a thread id changes
// when QEMU restarts), a disk's drive id before its qdev path or node.
export const ELEMENT_ID_KEYS = ['vcpu_index', 'cpu', 'device', 'qdev', 'node_name', 'qom_path', 'name', 'interface', 'thread_id', 'provider'];

/** One list, exploded to one relation of (vm, episode, t, segment, id, e): its elements, each named. */
export interface ListRelation {
  /** The list's flattened name within a row, ids left out (`cpus`, `results.query_stats_vm.stats`). */
  listName: string;
  /** The row's list column the relation comes from (`results.query_stats_vm`): its ids follow it in a name. */
  rowList: string;
  /** SQL of the relation, over `rowsSql` (a relation of vm, episode, t and the list's column). */
  sql: string;
  /** The element's numeric fields, each with its SQL over `e` and its name within an element ('' for a bare number). */
  fields: Array<{ name: string; sql: string; integer: boolean }>;
}

/** The relations of every list column of `layout`; `rowsOf(column)`: a relation of vm, episode, t, segment and `list_json`, the column. */
export function listRelations(layout: FieldLayout, rowsOf: (column: string) => string): ListRelation[] {
  const relations: ListRelation[] = [];
  for (const column of layout.columns) {
    if (column.element === undefined) continue;
    const parsed = `from_json(list_json, ${sqlString(JSON.stringify(jsonStructure([column.element])))})`;
    const base = `SELECT vm, episode, t, segment, NULL::VARCHAR AS id, ${parsed} AS l FROM (${rowsOf(sqlIdent(column.name))})`;
    explode({ listName: column.name, rowList: column.name, within: '' }, column.element, base, relations);
  }
  return relations;
}

// Adds the relation of the list `l` of `parent` (elements of structure `element`; `within`: the
// list's path inside the parent's element, '' for a row's list), then those of the lists within
// its elements.
function explode(names: { listName: string; rowList: string; within: string }, element: Structure, parent: string, relations: ListRelation[]): void {
  const { listName, rowList, within } = names;
  const unnested = `SELECT vm, episode, t, segment, id AS parent_id, unnest(l) AS e, generate_subscripts(l, 1) - 1 AS pos FROM (${parent})`;
  const own = idSql(element);
  const id = within === '' ? own : `parent_id || ${sqlString(`.${within}.`)} || ${own}`;
  const sql = `SELECT vm, episode, t, segment, ${id} AS id, e FROM (${unnested})`;
  const fields: ListRelation['fields'] = [];
  const nested: Array<{ path: string[]; element: Structure }> = [];
  walk(element, [], fields, nested);
  relations.push({ listName, rowList, sql, fields });
  for (const inner of nested) {
    const access = inner.path.reduce((expr, key) => `${expr}[${sqlString(key)}]`, 'e');
    const innerPath = inner.path.join('.');
    explode({ listName: `${listName}.${innerPath}`, rowList, within: innerPath }, inner.element, `SELECT vm, episode, t, segment, id, ${access} AS l FROM (${sql})`, relations);
  }
}

// The numeric leaves of an element (ids left out) and the lists within it.
function walk(structure: Structure, path: string[], fields: ListRelation['fields'], nested: Array<{ path: string[]; element: Structure }>): void {
  if (Array.isArray(structure)) {
    if (path.length > 0 && structure[0] !== undefined) nested.push({ path, element: structure[0] });
    return;
  }
  if (typeof structure === 'object') {
    if (!hasDistinctKeys(structure)) return;
    for (const [key, inner] of Object.entries(structure)) {
      if (!(path.length === 0 && ELEMENT_ID_KEYS.includes(key))) walk(inner, [...path, key], fields, nested);
    }
    return;
  }
  if (!NUMERIC_TYPES.has(structure)) return;
  const sql = path.reduce((expr, key) => `${expr}[${sqlString(key)}]`, 'e');
  fields.push({ name: path.join('.'), sql, integer: isIntegerType(structure) });
}

// `key=value` of the first id key the element has, else its position `[n]`.
function idSql(element: Structure): string {
  const keys = typeof element === 'object' && !Array.isArray(element) ? ELEMENT_ID_KEYS.filter((key) => key in element) : [];
  const named = keys.map((key) => `${sqlString(`${key}=`)} || nullif(CAST(e[${sqlString(key)}] AS VARCHAR), '')`);
  return `coalesce(${[...named, `'[' || CAST(pos AS VARCHAR) || ']'`].join(', ')})`;
}

// from_json's structure argument: the merged structure with every object as a STRUCT; an object
// a STRUCT cannot hold (keys equal but for case, an empty key) is read as JSON and left off the grid.
function jsonStructure(structure: Structure): unknown {
  if (Array.isArray(structure)) return structure.map(jsonStructure);
  if (typeof structure === 'object') {
    if (!hasDistinctKeys(structure)) return 'JSON';
    return Object.fromEntries(Object.entries(structure).map(([key, inner]) => [key, jsonStructure(inner)]));
  }
  return structure === 'NULL' ? 'JSON' : structure;
}

function hasDistinctKeys(structure: { [key: string]: Structure }): boolean {
  const keys = Object.keys(structure);
  return keys.length > 0 && !keys.includes('') && new Set(keys.map((key) => key.toLowerCase())).size === keys.length;
}

/** The field's name for counter patterns: the list's name and the field, ids left out (`cpus.user_ms`). */
export function patternName(relation: ListRelation, field: string): string {
  return field === '' ? relation.listName : `${relation.listName}.${field}`;
}

/** Whether a list's field goes on the grid (not a counter's recorded `_delta`). */
export function isListFeature(relation: ListRelation, field: string, rules: FieldRules): boolean {
  return isFeatureField(patternName(relation, field), rules);
}
