// How a source's JSON rows become typed columns. The structure of every row of a source
// (json-structure.ts: each key's type merged over all rows, so an integer column is BIGINT,
// UBIGINT or DECIMAL(38,0) as wide as every value seen requires); this module turns that into
// read_json's declared columns and the flat column list of the table. Nested objects are
// flattened to `a.b` columns; arrays (per-CPU, per-thread, per-disk lists) stay one JSON column,
// with their elements' structure kept for the feature grid (list-features.ts).
import { sqlIdent, sqlString } from './sql-text';

/** A structure as json_group_structure reports it: a type name, an object of them, or a list. */
export type Structure = string | Structure[] | { [key: string]: Structure };

/** One column of the flat table. */
export interface FlatColumn {
  /** `a.b` for key b of object a. */
  name: string;
  /** The keys from the row down to the value. */
  path: string[];
  type: string;
  /** For a list (kept as one JSON column): the structure of its elements, merged over all rows. */
  element?: Structure;
}

export interface FieldLayout {
  /** read_json's `columns` parameter: top-level key → DuckDB type (objects as STRUCT). */
  readColumns: string;
  columns: FlatColumn[];
  /** Fields left out: a name equal to another's once case is ignored, to a reserved one, or empty. */
  skipped: string[];
}

/** Decides the type of a leaf: the declared one for known fields, else the structure's. */
export type TypeDecider = (name: string, inferred: string) => string;

const INTEGER_TYPES = new Set(['UBIGINT', 'BIGINT', 'HUGEINT']);
export const NUMERIC_TYPES = new Set([...INTEGER_TYPES, 'DOUBLE']);

/**
 * The layout of rows whose merged structure is `structure` (an object for any row source).
 * `reserved` names columns the table already has (vm, episode, labels): a field of the same
 * name is left out rather than make two columns of one name.
 */
export function layoutOf(structure: Structure, decide: TypeDecider, reserved: readonly string[] = []): FieldLayout {
  const skipped: string[] = [];
  const columns: FlatColumn[] = [];
  const taken = new Set<string>(reserved.map((name) => name.toLowerCase()));
  const top = isObject(structure) ? structure : {};
  const reads: string[] = [];
  for (const key of distinctKeys(Object.keys(top), skipped)) {
    const typeSql = typeOf(top[key]!, [key], decide, columns, taken, skipped);
    reads.push(`${sqlString(key)}: ${sqlString(typeSql)}`);
  }
  return { readColumns: `{${reads.join(', ')}}`, columns, skipped };
}

/** The SQL expression reading `column` out of read_json's nested result. */
export function columnExpression(column: FlatColumn): string {
  const [top = '', ...inner] = column.path;
  return inner.reduce((expr, key) => `${expr}[${sqlString(key)}]`, sqlIdent(top));
}

// The DuckDB type of the value at `path`; leaves are added to `columns` as they are met.
function typeOf(structure: Structure, path: string[], decide: TypeDecider, columns: FlatColumn[], taken: Set<string>, skipped: string[]): string {
  const name = path.join('.');
  if (isObject(structure)) {
    const keys = Object.keys(structure);
    // A STRUCT cannot hold two fields that differ only in case, nor an empty name: such an
    // object is kept whole as one JSON column rather than losing a key.
    if (keys.length > 0 && distinctKeys(keys, []).length === keys.length) {
      const fields = keys.map((key) => `${sqlIdent(key)} ${typeOf(structure[key]!, [...path, key], decide, columns, taken, skipped)}`);
      return `STRUCT(${fields.join(', ')})`;
    }
    return leaf(name, path, 'JSON', columns, taken, skipped);
  }
  if (Array.isArray(structure)) return leaf(name, path, 'JSON', columns, taken, skipped, structure[0]);
  const declared = decide(name, structure === 'NULL' ? 'JSON' : structure);
  return leaf(name, path, declared, columns, taken, skipped);
}

function leaf(name: string, path: string[], type: string, columns: FlatColumn[], taken: Set<string>, skipped: string[], element?: Structure): string {
  // `a.b` as a key of its own and b inside a: the first keeps the column name.
  if (taken.has(name.toLowerCase())) skipped.push(name);
  else {
    taken.add(name.toLowerCase());
    columns.push(element === undefined ? { name, path, type } : { name, path, type, element });
  }
  return type;
}

// Keys in order without the empty one and without a later one equal to an earlier one but for case.
function distinctKeys(keys: readonly string[], skipped: string[]): string[] {
  const seen = new Set<string>();
  return keys.filter((key) => {
    const folded = key.toLowerCase();
    if (key === '' || seen.has(folded)) {
      skipped.push(key);
      return false;
    }
    seen.add(folded);
    return true;
  });
}

function isObject(structure: Structure | undefined): structure is { [key: string]: Structure } {
  return structure !== null && typeof structure === 'object' && !Array.isArray(structure);
}

/** Whether a type is an exact integer type. */
export function isIntegerType(type: string): boolean {
  return INTEGER_TYPES.has(type);
}
