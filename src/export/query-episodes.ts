// `vmtel sql`: the dataset's relations as views in an in-memory DuckDB, one query, its result as
// text. Nothing is written: the rows views read the run dirs' JSONL files directly.
import { VmtelError } from '../errors';
import { createDatasetViews, type DatasetOptions } from './dataset-views';
import { openDb } from './duckdb';
import { readEpisodeInputs } from './episode-input';
import { formatResult, type ResultFormat } from './format-result';

export interface QueryRequest extends DatasetOptions {
  runDirs: readonly string[];
  query: string;
  output: ResultFormat;
}

/** The query's result as text in the requested format. */
export async function queryEpisodes(request: QueryRequest): Promise<string> {
  const episodes = await readEpisodeInputs(request.runDirs);
  const db = await openDb();
  try {
    await createDatasetViews(db, episodes, request);
    let result: { columns: string[]; rows: unknown[][] };
    try {
      result = await db.table(request.query);
    } catch (err) {
      throw new VmtelError('VMTEL_QUERY_FAILED', `query failed: ${(err as Error).message.split('\n')[0]}`, { cause: err });
    }
    return formatResult(result, request.output);
  } finally {
    db.close();
  }
}
