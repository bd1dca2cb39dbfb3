// `vmtel export`: the episodes of the given run dirs as one dataset of tables (Parquet or CSV)
// plus dataset.json, which describes it. Each table is copied by DuckDB from the relations of
// dataset-views.ts; once a source's rows are written, its view is pointed at the written file,
// so the feature grid reads compact columns instead of parsing the JSON a second time.
import { join } from 'node:path';
import { writeFileAtomic } from '../orchestrator/atomic-file';
import { describeDataset, type TableCounts } from './dataset-description';
import { createDatasetViews, type DatasetOptions } from './dataset-views';
import { openDb, type Db } from './duckdb';
import { readEpisodeInputs } from './episode-input';
import { EPISODES_TABLE } from './episode-table';
import { EVENTS_TABLE } from './event-table';
import { FEATURES_VIEW } from './feature-grid';
import { OutputDir } from './output-dir';
import { sqlIdent, sqlString } from './sql-text';

export type ExportFormat = 'parquet' | 'csv';

export interface ExportRequest extends DatasetOptions {
  runDirs: readonly string[];
  outDir: string;
  format: ExportFormat;
  gridText: string;
}

// Parquet with DuckDB's default compression (snappy): zstd files are about a third smaller but
// took a quarter longer to write in the benchmark; any Parquet reader reads both.
const COPY_OPTIONS: Record<ExportFormat, string> = {
  parquet: 'FORMAT parquet',
  csv: 'FORMAT csv, HEADER true',
};

export const DATASET_FILE = 'dataset.json';

/** Writes the dataset; returns the paths written, dataset.json last. */
export async function exportDataset(request: ExportRequest): Promise<string[]> {
  const episodes = await readEpisodeInputs(request.runDirs);
  const out = OutputDir.prepare(request.outDir);
  const db = await openDb();
  const written: string[] = [];
  try {
    const views = await createDatasetViews(db, episodes, request);
    const counts: TableCounts = { rows: {}, events: 0, episodes: 0, features: 0 };
    const copy = async (relation: string, name: string): Promise<string> => {
      const finalName = `${name}.${request.format}`;
      const temp = out.tempFor(finalName);
      await db.run(`COPY (SELECT * FROM ${sqlIdent(relation)}) TO ${sqlString(temp)} (${COPY_OPTIONS[request.format]})`);
      const path = out.commit(temp, finalName);
      written.push(path);
      return path;
    };
    for (const source of views.sources) {
      const path = await copy(source.view, join('rows', source.name));
      const reader = request.format === 'parquet' ? `read_parquet(${sqlString(path)})` : null;
      if (reader !== null) await db.run(`CREATE OR REPLACE VIEW ${sqlIdent(source.view)} AS SELECT * FROM ${reader}`);
      counts.rows[source.name] = await countByEpisode(db, source.view);
    }
    await copy(EVENTS_TABLE, 'events');
    await copy(EPISODES_TABLE, 'episodes');
    await copy(FEATURES_VIEW, 'features');
    counts.events = await countOf(db, EVENTS_TABLE);
    counts.episodes = await countOf(db, EPISODES_TABLE);
    counts.features = await countOf(db, FEATURES_VIEW);
    const description = describeDataset({ request, episodes, views, counts });
    const datasetPath = join(request.outDir, DATASET_FILE);
    writeFileAtomic(datasetPath, `${JSON.stringify(description, null, 2)}\n`);
    written.push(datasetPath);
    return written;
  } catch (err) {
    out.discardTemps();
    throw err;
  } finally {
    db.close();
  }
}

async function countOf(db: Db, relation: string): Promise<number> {
  const [row] = await db.rows(`SELECT count(*) AS n FROM ${sqlIdent(relation)}`);
  return Number(row?.['n'] ?? 0);
}

// Rows per episode, keyed `vm/episode`.
async function countByEpisode(db: Db, relation: string): Promise<Record<string, number>> {
  const rows = await db.rows(`SELECT vm, episode, count(*) AS n FROM ${sqlIdent(relation)} GROUP BY vm, episode`);
  return Object.fromEntries(rows.map((row) => [`${String(row['vm'])}/${String(row['episode'])}`, Number(row['n'])]));
}
