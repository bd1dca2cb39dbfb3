// A small table built from values vmtel read itself (events, manifest fields) rather than from a
// rows file: created with declared types and filled with SQL literals, integers as their exact
// digits. Thousands of rows at most, so literals cost nothing worth an appender.
import type { Db } from './duckdb';
import { sqlIdent, sqlString } from './sql-text';

export interface LiteralColumn {
  name: string;
  type: 'VARCHAR' | 'BIGINT' | 'UBIGINT' | 'DOUBLE' | 'BOOLEAN' | 'JSON';
}

export type LiteralValue = string | number | bigint | boolean | null | undefined;

// Keeps each INSERT statement to a size DuckDB parses quickly.
const ROWS_PER_INSERT = 500;

/** Creates `table` with `columns` and inserts `records` (missing or mistyped values are NULL). */
export async function createLiteralTable(db: Db, table: string, columns: readonly LiteralColumn[], records: ReadonlyArray<Record<string, LiteralValue>>): Promise<void> {
  await db.run(`CREATE OR REPLACE TABLE ${sqlIdent(table)} (${columns.map((c) => `${sqlIdent(c.name)} ${c.type}`).join(', ')})`);
  for (let at = 0; at < records.length; at += ROWS_PER_INSERT) {
    const values = records
      .slice(at, at + ROWS_PER_INSERT)
      .map((record) => `(${columns.map((column) => literal(record[column.name], column.type)).join(', ')})`);
    await db.run(`INSERT INTO ${sqlIdent(table)} VALUES ${values.join(', ')}`);
  }
}

function literal(value: LiteralValue, type: LiteralColumn['type']): string {
  if (value === null || value === undefined) return 'NULL';
  switch (type) {
    case 'VARCHAR':
    case 'JSON':
      return `${sqlString(String(value))}::${type}`;
    case 'BIGINT':
    case 'UBIGINT':
      return isInteger(value) ? `${value}::${type}` : 'NULL';
    case 'DOUBLE':
      return typeof value === 'number' && Number.isFinite(value) ? `${value}::DOUBLE` : 'NULL';
    case 'BOOLEAN':
      return typeof value === 'boolean' ? String(value) : 'NULL';
    default:
      throw new Error(`unknown literal column type ${String(type)}`);
  }
}

function isInteger(value: LiteralValue): value is number | bigint {
  return typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value));
}
