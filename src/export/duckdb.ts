// The in-memory DuckDB that export and sql work in. @duckdb/node-api is a native addon of ~70 MB
// (the engine with its JSON and Parquet extensions built in): it stays outside the bundle and is
// required here, when a command that needs it runs, never by `vmtel run`.
import type { DuckDBConnection, DuckDBType } from '@duckdb/node-api';
import type { Structure } from './field-layout';

/** One connection to a fresh in-memory database, closed with `close()`. */
export interface Db {
  /** Runs statements whose result is not needed. */
  run(sql: string): Promise<void>;
  /** The rows of a query as JSON-ready objects: integers beyond 2^53 come back as exact strings. */
  rows(sql: string): Promise<Array<Record<string, unknown>>>;
  /** Column names and rows as JavaScript values (bigint kept exact), for printing a result. */
  table(sql: string): Promise<{ columns: string[]; rows: unknown[][] }>;
  /** The columns a query would return, each as a Structure (objects for STRUCTs, [] for lists). */
  structure(sql: string): Promise<Record<string, Structure>>;
  close(): void;
}

/** Opens a database of its own; `threads` bounds DuckDB's worker threads (all cores when absent). */
export async function openDb(options: { threads?: number } = {}): Promise<Db> {
  // Loaded only here (see the header): a literal require so the path is checked, kept external by the bundler.
  const { DuckDBInstance, DuckDBTypeId } = require('@duckdb/node-api') as typeof import('@duckdb/node-api');
  const structureOf = (type: DuckDBType): Structure => {
    if (type.typeId === DuckDBTypeId.STRUCT) {
      const struct = type as import('@duckdb/node-api').DuckDBStructType;
      return Object.fromEntries(struct.entryNames.map((name, i) => [name, structureOf(struct.entryTypes[i]!)]));
    }
    // A list's elements keep their structure (the feature grid puts their numbers on it).
    if (type.typeId === DuckDBTypeId.LIST) return [structureOf((type as import('@duckdb/node-api').DuckDBListType).valueType)];
    if (type.typeId === DuckDBTypeId.ARRAY) return [structureOf((type as import('@duckdb/node-api').DuckDBArrayType).valueType)];
    return type.typeId === DuckDBTypeId.MAP ? ['JSON'] : type.toString();
  };
  const config: Record<string, string> = {};
  if (options.threads !== undefined) config['threads'] = String(options.threads);
  const instance = await DuckDBInstance.create(':memory:', config);
  const connection: DuckDBConnection = await instance.connect();
  return {
    run: async (sql) => {
      await connection.run(sql);
    },
    rows: async (sql) => (await connection.runAndReadAll(sql)).getRowObjectsJson() as Array<Record<string, unknown>>,
    table: async (sql) => {
      const reader = await connection.runAndReadAll(sql);
      return { columns: reader.columnNames(), rows: reader.getRowsJS() as unknown[][] };
    },
    structure: async (sql) => {
      const reader = await connection.runAndReadAll(sql);
      const types = reader.columnTypes();
      return Object.fromEntries(reader.columnNames().map((name, i) => [name, structureOf(types[i]!)]));
    },
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
