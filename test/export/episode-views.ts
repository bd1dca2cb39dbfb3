// One synthetic episode written to a temp dir and opened as the dataset's views in a DuckDB of
// its own, closed when the test ends: what a test of the feature grid starts from.
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { createDatasetViews } from '../../src/export/dataset-views';
import { openDb, type Db } from '../../src/export/duckdb';
import { readEpisodeInputs } from '../../src/export/episode-input';
import { tempDir } from '../helpers/temp-dir';
import { writeSyntheticEpisode, type SyntheticEpisode } from './synthetic-episode';

/** The views of `episode` on a 1 s grid. */
export async function episodeViews(t: Pick<TestContext, 'after'>, episode: SyntheticEpisode): Promise<Db> {
  const runDir = writeSyntheticEpisode(join(tempDir(t), 'ep'), episode);
  const db = await openDb({ threads: 1 });
  t.after(() => db.close());
  await createDatasetViews(db, await readEpisodeInputs([runDir]), { deployableOnly: false, gridNs: 1_000_000_000n });
  return db;
}
