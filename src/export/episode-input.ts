// What export and sql read of a run dir besides its rows: the manifest and the events. This is
// the one seam to the run-dir reader (src/run-dir/, when it lands, replaces the body of this
// file and nothing else); rows are read by DuckDB itself, from the files named here.
import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { VmtelError } from '../errors';
import { readManifest, type Manifest } from '../orchestrator/manifest';
import { EVENTS_FILE } from '../run-dir-files';
import { parseExactJson, type ExactJson } from '../sink/exact-json';

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
}

/** Reads one run dir; a path that is not an episode's run dir is a VMTEL_NOT_A_RUN_DIR. */
export function readEpisodeInput(runDirArg: string): EpisodeInput {
  const runDir = resolve(runDirArg);
  let manifest: Manifest | null;
  try {
    manifest = readManifest(runDir);
  } catch (err) {
    throw new VmtelError('VMTEL_NOT_A_RUN_DIR', `${runDirArg}: episode.json cannot be read (${reasonOf(err)})`, { cause: err });
  }
  if (manifest === null || typeof manifest.vm !== 'string' || typeof manifest.episode !== 'string' || typeof manifest.collectors !== 'object') {
    throw new VmtelError('VMTEL_NOT_A_RUN_DIR', `${runDirArg}: not an episode's run dir (no episode.json naming a vm, an episode and its collectors)`);
  }
  const configured = (manifest.config['collectors'] ?? {}) as Record<string, { module?: unknown; options?: { max_line_bytes?: unknown } }>;
  const sources = Object.entries(manifest.collectors)
    .filter(([, record]) => record.enabled)
    .map(([name, record]): SourceInput => {
      const modulePath = configured[name]?.module;
      const maxLineBytes = configured[name]?.options?.max_line_bytes;
      return {
        name,
        kind: record.kind,
        rowsPath: join(runDir, basename(record.output)),
        availableInDeployment: record.available_in_deployment === true,
        modulePath: typeof modulePath === 'string' ? modulePath : undefined,
        rowsRecorded: record.rows,
        maxLineBytes: typeof maxLineBytes === 'number' ? maxLineBytes : undefined,
      };
    });
  const { events, unreadable } = readEvents(join(runDir, EVENTS_FILE));
  return { runDir, manifest, labels: labelsOf(manifest), sources, events, unreadableEventLines: unreadable };
}

/** Reads every run dir; two run dirs of one vm and episode would merge on every table, so they are refused. */
export function readEpisodeInputs(runDirs: readonly string[]): EpisodeInput[] {
  const episodes = runDirs.map(readEpisodeInput);
  const seen = new Map<string, string>();
  episodes.forEach((episode, i) => {
    const identity = `vm ${episode.manifest.vm} episode ${episode.manifest.episode}`;
    const other = seen.get(identity);
    if (other !== undefined) throw new VmtelError('VMTEL_USAGE', `${other} and ${runDirs[i]!} are both ${identity}: give each episode once`);
    seen.set(identity, runDirs[i]!);
  });
  return episodes;
}

function readEvents(path: string): { events: Array<Record<string, ExactJson>>; unreadable: number } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { events: [], unreadable: 0 };
    throw new VmtelError('VMTEL_NOT_A_RUN_DIR', `${path} cannot be read (${reasonOf(err)})`, { cause: err });
  }
  const events: Array<Record<string, ExactJson>> = [];
  let unreadable = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    try {
      const event = parseExactJson(line);
      if (event !== null && typeof event === 'object' && !Array.isArray(event)) events.push(event);
      else unreadable += 1;
    } catch {
      unreadable += 1;
    }
  }
  return { events, unreadable };
}

// The episode's labels (`labels:` of the config, recorded in the manifest), as text: a label is
// a category, and one type per label column keeps episodes with different spellings together.
function labelsOf(manifest: Manifest): Record<string, string> {
  const labels = (manifest as unknown as { labels?: unknown }).labels;
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) return {};
  return Object.fromEntries(Object.entries(labels).map(([key, value]) => [key, typeof value === 'string' ? value : String(value)]));
}

function reasonOf(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
}
