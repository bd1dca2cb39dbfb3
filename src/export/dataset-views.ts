// The dataset as DuckDB relations, the same for `vmtel export` (which copies each to a file) and
// `vmtel sql` (which queries them): rows_<source> views, the events and episodes tables, and the
// features view. With `deployableOnly`, lab-only sources are left out of every one of them.
import type { Db } from './duckdb';
import { labelKeysOf } from './episode-columns';
import type { EpisodeInput } from './episode-input';
import { createEpisodesTable } from './episode-table';
import { createEventsTable, MARKER_SOURCE } from './event-table';
import { createFeaturesView, type FeatureColumn } from './feature-grid';
import { createRowsView, planRowSources, withLayout, type RowSource, type SourcePlan } from './row-source';
import { structureInWorker } from './structure-of-files';

export interface DatasetOptions {
  deployableOnly: boolean;
  gridNs: bigint;
}

/** What is exported, before any row is read. */
export interface DatasetPlan {
  sources: SourcePlan[];
  labelKeys: string[];
  /** Sources left out as lab-only (with deployableOnly). */
  leftOut: string[];
  keepEvent: (source: string) => boolean;
}

export interface DatasetViews extends Omit<DatasetPlan, 'sources' | 'keepEvent'> {
  sources: RowSource[];
  /** The features view's field columns, with their rules. */
  featureColumns: FeatureColumn[];
}

/** The sources, labels and events of the dataset of `episodes`. */
export async function planDataset(episodes: readonly EpisodeInput[], options: DatasetOptions): Promise<DatasetPlan> {
  const labelKeys = labelKeysOf(episodes);
  const deployable = deployableSourceNames(episodes);
  const keepSource = (name: string): boolean => !options.deployableOnly || deployable.has(name);
  const sources = await planRowSources(episodes, keepSource, labelKeys);
  const leftOut = [...new Set(episodes.flatMap((episode) => episode.sources.map((source) => source.name)))].filter((name) => !keepSource(name)).sort();
  // Markers are the experimenter's labels, not telemetry: they stay in the deployable view (its
  // phases are the training labels); every other event stays only with a kept source.
  const keepEvent = (source: string): boolean => keepSource(source) || source === MARKER_SOURCE;
  return { sources, labelKeys, leftOut, keepEvent };
}

/** Creates every relation of the dataset of `episodes` in `db`, the rows views over the JSONL files. */
export async function createDatasetViews(db: Db, episodes: readonly EpisodeInput[], options: DatasetOptions): Promise<DatasetViews> {
  const plan = await planDataset(episodes, options);
  const structures = await Promise.all(plan.sources.map((source) => structureInWorker(source.files.map(({ path }) => path))));
  const sources = plan.sources.map((source, i) => withLayout(source, structures[i]!));
  for (const source of sources) await createRowsView(db, source, plan.labelKeys);
  return createDerivedViews(db, episodes, plan, sources, options);
}

/** Creates the events and episodes tables and the features view over the rows views of `sources`. */
export async function createDerivedViews(db: Db, episodes: readonly EpisodeInput[], plan: DatasetPlan, sources: RowSource[], options: DatasetOptions): Promise<DatasetViews> {
  await createEventsTable(db, episodes, plan.labelKeys, plan.keepEvent);
  await createEpisodesTable(db, episodes, plan.labelKeys, options.deployableOnly);
  const featureColumns = await createFeaturesView(db, episodes, sources, plan.labelKeys, options.gridNs);
  return { sources, labelKeys: plan.labelKeys, leftOut: plan.leftOut, featureColumns };
}

/** The sources every episode that has them recorded as available in deployment. */
export function deployableSourceNames(episodes: readonly EpisodeInput[]): Set<string> {
  const entries = episodes.flatMap((episode) => episode.sources);
  const labOnly = new Set(entries.filter((source) => !source.availableInDeployment).map((source) => source.name));
  return new Set(entries.map((source) => source.name).filter((name) => !labOnly.has(name)));
}
