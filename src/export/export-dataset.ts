// `vmtel export`: the episodes of the given run dirs as one dataset of tables (Parquet or CSV)
// plus dataset.json, which describes it. Each table is copied by DuckDB from the relations of
// dataset-views.ts, the rows first (copyRows).
import { join } from 'node:path';
import { writeFileAtomic } from '../orchestrator/atomic-file';
import { describeDataset, type TableCounts } from './dataset-description';
import { createDerivedViews, planDataset, type DatasetOptions, type DatasetPlan } from './dataset-views';
import { openDb, type Db } from './duckdb';
import { readEpisodeInputs } from './episode-input';
import { EPISODES_TABLE } from './episode-table';
import { EVENTS_TABLE } from './event-table';
import { FEATURES_VIEW } from './feature-grid';
import { OutputDir } from './output-dir';
import { createRowsView, sameTable, withLayout, type RowSource } from './row-source';
import { sqlIdent, sqlString } from './sql-text';
import { guessStructure, structureInWorker } from './structure-of-files';

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
    // A table to a temp file; then `commit` gives it its final name.
    const copyToTemp = async (relation: string, name: string) => {
      const finalName = `${name}.${request.format}`;
      const temp = out.tempFor(finalName);
      await db.run(`COPY (SELECT * FROM ${sqlIdent(relation)}) TO ${sqlString(temp)} (${COPY_OPTIONS[request.format]})`);
      return {
        discard: () => out.discard(temp),
        commit: (): string => {
          const path = out.commit(temp, finalName);
          written.push(path);
          return path;
        },
      };
    };
    const copy = async (relation: string, name: string): Promise<string> => (await copyToTemp(relation, name)).commit();
    const plan = await planDataset(episodes, request);
    const sources = await copyRows(db, plan, (source) => copyToTemp(source.view, join('rows', source.name)));
    const counts: TableCounts = { rows: {}, events: 0, episodes: 0, features: 0 };
    for (const source of sources) counts.rows[source.name] = await countByEpisode(db, source.view);
    const views = await createDerivedViews(db, episodes, plan, sources, request);
    await copy(EVENTS_TABLE, 'events');
    await copy(EPISODES_TABLE, 'episodes');
    const featuresPath = await copy(FEATURES_VIEW, 'features');
    counts.events = await countOf(db, sqlIdent(EVENTS_TABLE));
    counts.episodes = await countOf(db, sqlIdent(EPISODES_TABLE));
    // From the file written, not the view: the view would compute the grid a second time.
    counts.features = await countOf(db, request.format === 'parquet' ? `read_parquet(${sqlString(featuresPath)})` : sqlIdent(FEATURES_VIEW));
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

// Copies every source's rows, reading each file once for its structure and once for its copy,
// side by side: the copy starts with the structure of the files' first lines while a worker reads
// all of them; a source whose whole structure makes another table (a key first seen late, a
// wider integer) is copied again with it. Once written, a source's view reads its Parquet file,
// so the feature grid reads compact columns instead of parsing the JSON a second time.
async function copyRows(db: Db, plan: DatasetPlan, copy: (source: RowSource) => Promise<{ discard(): void; commit(): string }>): Promise<RowSource[]> {
  const structures = plan.sources.map((source) => structureInWorker(source.files.map(({ path }) => path)));
  // Each is awaited in turn below; one failing before its turn is not an unhandled rejection.
  for (const structure of structures) structure.catch(() => undefined);
  const sources: RowSource[] = [];
  for (const [i, planned] of plan.sources.entries()) {
    const guessed = withLayout(planned, guessStructure(planned.files.map(({ path }) => path)));
    await createRowsView(db, guessed, plan.labelKeys);
    let written = await copy(guessed);
    const source = withLayout(planned, await structures[i]!);
    if (!sameTable(source.layout, guessed.layout)) {
      written.discard();
      await createRowsView(db, source, plan.labelKeys);
      written = await copy(source);
    }
    const path = written.commit();
    if (path.endsWith('.parquet')) await db.run(`CREATE OR REPLACE VIEW ${sqlIdent(source.view)} AS SELECT * FROM read_parquet(${sqlString(path)})`);
    sources.push(source);
  }
  return sources;
}

// `relation` as SQL: a quoted name or a table function.
async function countOf(db: Db, relation: string): Promise<number> {
  const [row] = await db.rows(`SELECT count(*) AS n FROM ${relation}`);
  return Number(row?.['n'] ?? 0);
}

// Rows per episode, keyed `vm/episode`.
async function countByEpisode(db: Db, relation: string): Promise<Record<string, number>> {
  const rows = await db.rows(`SELECT vm, episode, count(*) AS n FROM ${sqlIdent(relation)} GROUP BY vm, episode`);
  return Object.fromEntries(rows.map((row) => [`${String(row['vm'])}/${String(row['episode'])}`, Number(row['n'])]));
}
