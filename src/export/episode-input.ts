// What export and sql read of a run dir besides its rows: the manifest and the events, through
// the one run-dir reader (src/run-dir/); rows are read by DuckDB itself, from the files named here.
import { resolve } from 'node:path';
import { VmtelError } from '../errors';
import type { Manifest } from '../orchestrator/manifest';
import { episodeReport, type EpisodeReport } from '../report';
import { forEachEvent, openRunDir } from '../run-dir';
import type { ExactJson } from '../sink/exact-json';

/** One source of an episode: a collector entry and its rows file in this run dir. */
export interface SourceInput {
  name: string;
  kind: string;
  /** The rows file, in the run dir as given (the manifest's absolute path may be elsewhere now). */
  rowsPath: string;
  availableInDeployment: boolean;
  /** The user's module for a `module:` collector, as recorded in the manifest's config. */
  modulePath: string | undefined;
  /** Rows the manifest counted as written. */
  rowsRecorded: number;
  /** The longest line the collector accepts (guest_agent's `max_line_bytes`), when it has such a bound. */
  maxLineBytes: number | undefined;
}

export interface EpisodeInput {
  runDir: string;
  manifest: Manifest;
  labels: Record<string, string>;
  sources: SourceInput[];
  events: Array<Record<string, ExactJson>>;
  /** events.jsonl lines that are not one JSON object (a torn last line, say): left out, counted. */
  unreadableEventLines: number;
  /**
   * `vmtel report`'s figures and verdict of the episode (episodes.parquet carries them): a pass
   * over every row in this thread, left running while DuckDB reads the rows on its own threads.
   */
  report: Promise<EpisodeReport>;
}

/** Reads one run dir; a path that is not an episode's run dir is a VMTEL_NOT_A_RUN_DIR. */
export async function readEpisodeInput(runDirArg: string): Promise<EpisodeInput> {
  const runDir = openRunDir(resolve(runDirArg));
  const { manifest } = runDir;
  const configured = (manifest.config['collectors'] ?? {}) as Record<string, Record<string, unknown>>;
  const sources = runDir.sources
    .filter((source) => source.enabled && manifest.collectors[source.name] !== undefined)
    .map((source): SourceInput => {
      const record = manifest.collectors[source.name]!;
      const entry = configured[source.name] ?? {};
      // A kind's options sit beside the entry's shared keys; older manifests keep them under `options`.
      const maxLineBytes = entry['max_line_bytes'] ?? (entry['options'] as Record<string, unknown> | undefined)?.['max_line_bytes'];
      return {
        name: source.name,
        kind: source.kind,
        rowsPath: source.file,
        availableInDeployment: record.available_in_deployment === true,
        modulePath: typeof entry['module'] === 'string' ? entry['module'] : undefined,
        rowsRecorded: record.rows,
        maxLineBytes: typeof maxLineBytes === 'number' ? maxLineBytes : undefined,
      };
    });
  const events: Array<Record<string, ExactJson>> = [];
  const read = await forEachEvent(runDir.path, (event) => events.push(event.fields));
  // A torn last line (a crash cut it short) is one more line left out.
  const unreadableEventLines = read.unreadable + (read.unterminatedBytes > 0 ? 1 : 0);
  const report = episodeReport(runDir.path);
  // Awaited when the episodes table is made; a failure before then is not an unhandled rejection.
  report.catch(() => undefined);
  return { runDir: runDir.path, manifest, labels: runDir.labels, sources, events, unreadableEventLines, report };
}

/** Reads every run dir; two run dirs of one vm and episode would merge on every table, so they are refused. */
export async function readEpisodeInputs(runDirs: readonly string[]): Promise<EpisodeInput[]> {
  const episodes: EpisodeInput[] = [];
  for (const runDir of runDirs) episodes.push(await readEpisodeInput(runDir));
  const seen = new Map<string, string>();
  episodes.forEach((episode, i) => {
    const identity = `vm ${episode.manifest.vm} episode ${episode.manifest.episode}`;
    const other = seen.get(identity);
    if (other !== undefined) throw new VmtelError('VMTEL_USAGE', `${other} and ${runDirs[i]!} are both ${identity}: give each episode once`);
    seen.set(identity, runDirs[i]!);
  });
  return episodes;
}
