// `vmtel export`: the episodes of the given run dirs as one dataset of tables (Parquet or CSV)
// plus dataset.json, which describes it. Each table is copied by DuckDB from the relations of
// dataset-views.ts. A source's types must hold for every row, and finding them means reading
// every row on one thread: so each source is first written with the types of a sample while a
// second connection reads every row beside it, and the file is kept only if both agree (else it
// is written again with the types of every row). Once written, a source's view reads the file,
// so the feature grid reads compact columns instead of parsing the JSON again.
import { join } from 'node:path';
import { writeFileAtomic } from '../orchestrator/atomic-file';
import { describeDataset, type TableCounts } from './dataset-description';
import { createDatasetViews, type DatasetOptions } from './dataset-views';
import { openDb, type Db } from './duckdb';
import { readEpisodeInputs } from './episode-input';
import { EPISODES_TABLE } from './episode-table';
import { EVENTS_TABLE } from './event-table';
import { createFeaturesView, FEATURES_VIEW } from './feature-grid';
import { OutputDir } from './output-dir';
import { createRowsView, layoutFromEveryRow, sameLayout, type RowSource } from './row-source';
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
  const episodes = readEpisodeInputs(request.runDirs);
  const out = OutputDir.prepare(request.outDir);
  const db = await openDb();
  const beside = await db.fork();
  const written: string[] = [];
  try {
    const views = await createDatasetViews(db, episodes, { ...request, inference: 'sample' });
    const everyRow = confirmingLayouts(beside, views.sources);
    const copyToTemp = async (relation: string, finalName: string): Promise<string> => {
      const temp = out.tempFor(finalName);
      await db.run(`COPY (SELECT * FROM ${sqlIdent(relation)}) TO ${sqlString(temp)} (${COPY_OPTIONS[request.format]})`);
      return temp;
    };
    const commit = (temp: string, finalName: string): string => {
      const path = out.commit(temp, finalName);
      written.push(path);
      return path;
    };
    const counts: TableCounts = { rows: {}, events: 0, episodes: 0, features: 0 };
    for (const [i, guessed] of views.sources.entries()) {
      const finalName = join('rows', `${guessed.name}.${request.format}`);
      let temp = await copyToTemp(guessed.view, finalName);
      const layout = await everyRow[i]!;
      if (!sameLayout(layout, guessed.layout)) {
        out.discard(temp);
        views.sources[i] = { ...guessed, layout };
        await createRowsView(db, views.sources[i]!, views.labelKeys);
        temp = await copyToTemp(guessed.view, finalName);
      }
      const path = commit(temp, finalName);
      if (request.format === 'parquet') await db.run(`CREATE OR REPLACE VIEW ${sqlIdent(guessed.view)} AS SELECT * FROM read_parquet(${sqlString(path)})`);
      counts.rows[guessed.name] = await countByEpisode(db, guessed.view);
    }
    await createFeaturesView(db, episodes, views.sources, views.labelKeys, request.gridNs);
    for (const table of [EVENTS_TABLE, EPISODES_TABLE, FEATURES_VIEW]) {
      const finalName = `${table}.${request.format}`;
      commit(await copyToTemp(table, finalName), finalName);
    }
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
    beside.close();
    db.close();
  }
}

// Every source's layout from every row, found one after another on `db` while the caller writes.
// Each promise is awaited by the caller in turn; one the caller never reaches (it failed before)
// must not become an unhandled rejection.
function confirmingLayouts(db: Db, sources: readonly RowSource[]): Array<Promise<RowSource['layout']>> {
  let previous: Promise<unknown> = Promise.resolve();
  return sources.map((source) => {
    const layout = previous.then(() => layoutFromEveryRow(db, source));
    layout.catch(() => undefined);
    previous = layout.catch(() => undefined);
    return layout;
  });
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
