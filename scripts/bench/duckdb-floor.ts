// The export benchmark's floor, run as a process of its own: DuckDB alone, converting the guest
// file to Parquet the plainest way (`COPY (SELECT * FROM read_json(...)) TO '...parquet'`, its
// types inferred from a sample), with no flattening, typing, counting or feature grid.
import { openDb } from '../../src/export/duckdb';
import { sqlString } from '../../src/export/sql-text';

async function main(): Promise<void> {
  const [jsonPath = '', parquetPath = ''] = process.argv.slice(2);
  const db = await openDb();
  try {
    await db.run(`COPY (SELECT * FROM read_json(${sqlString(jsonPath)})) TO ${sqlString(parquetPath)} (FORMAT parquet)`);
  } finally {
    db.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`duckdb floor failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
