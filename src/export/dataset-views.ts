// The dataset as DuckDB relations, the same for `vmtel export` (which copies each to a file) and
// `vmtel sql` (which queries them): rows_<source> views, the events and episodes tables, and the
// features view. With `deployableOnly`, lab-only sources are left out of every one of them.
import type { Db } from './duckdb';
import { labelKeysOf } from './episode-columns';
import type { EpisodeInput } from './episode-input';
import { createEpisodesTable } from './episode-table';
import { createEventsTable, MARKER_SOURCE } from './event-table';
import { createFeaturesView, type FeatureColumn } from './feature-grid';
import { createRowsView, discoverRowSources, type RowSource } from './row-source';

export interface DatasetOptions {
  deployableOnly: boolean;
  gridNs: bigint;
}

export interface DatasetViews {
  sources: RowSource[];
  labelKeys: string[];
  /** Sources left out as lab-only (with deployableOnly). */
  leftOut: string[];
  /** The features view's field columns, with their rules. */
  featureColumns: FeatureColumn[];
}

/** Creates every relation of the dataset of `episodes` in `db`. */
export async function createDatasetViews(db: Db, episodes: readonly EpisodeInput[], options: DatasetOptions): Promise<DatasetViews> {
  const labelKeys = labelKeysOf(episodes);
  const deployable = deployableSourceNames(episodes);
  const keepSource = (name: string): boolean => !options.deployableOnly || deployable.has(name);
  const sources = await discoverRowSources(db, episodes, keepSource, labelKeys);
  const leftOut = [...new Set(episodes.flatMap((episode) => episode.sources.map((source) => source.name)))].filter((name) => !keepSource(name)).sort();
  for (const source of sources) await createRowsView(db, source, labelKeys);
  // Markers are the experimenter's labels, not telemetry: they stay in the deployable view (its
  // phases are the training labels); every other event stays only with a kept source.
  const keepEvent = (source: string): boolean => keepSource(source) || source === MARKER_SOURCE;
  await createEventsTable(db, episodes, labelKeys, keepEvent);
  await createEpisodesTable(db, episodes, labelKeys, options.deployableOnly);
  const featureColumns = await createFeaturesView(db, episodes, sources, labelKeys, options.gridNs);
  return { sources, labelKeys, leftOut, featureColumns };
}

/** The sources every episode that has them recorded as available in deployment. */
export function deployableSourceNames(episodes: readonly EpisodeInput[]): Set<string> {
  const entries = episodes.flatMap((episode) => episode.sources);
  const labOnly = new Set(entries.filter((source) => !source.availableInDeployment).map((source) => source.name));
  return new Set(entries.map((source) => source.name).filter((name) => !labOnly.has(name)));
}
