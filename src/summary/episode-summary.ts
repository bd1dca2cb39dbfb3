// What `vmtel summary` tells about an episode, as data: `--json` prints it as it is, the text
// form is rendered from it. Read from the run dir's own files, so it tells the truth about what
// is on disk rather than what a process believed: while an episode runs (or after one died) the
// rows are counted in the files, and the span covers every process that recorded it.
import { isAbsolute, join, relative } from 'node:path';
import type { CollectorRecord } from '../orchestrator/manifest';
import { EVENTS_FILE, LOG_FILE, MANIFEST_FILE } from '../run-dir-files';
import { countLines } from '../sink/count-lines';
import { countEvents, readEventsFile } from './events-file';
import { liveHolder, openRunDir } from '../run-dir';
import { gapsBetween, processParts } from './process-parts';

export interface SourceSummary {
  name: string;
  kind: string;
  status: string;
  rows: number;
  bytes: number;
  dropped: Record<string, number>;
  /** Relative to the run dir when it lies inside it, so a moved run dir still reads right. */
  file: string;
}

export interface EpisodeSummary {
  run_dir: string;
  vm: string;
  episode: string;
  /** stopped; running (a live vmtel records it now); interrupted (no process stopped it). */
  state: 'stopped' | 'running' | 'interrupted';
  stop_reason: string | null;
  started_at: string;
  /** The last stop, the present moment while running, or the last sign of life. */
  ended_at: string;
  span_s: number;
  recorded_s: number;
  processes: Array<{ pid: number | null; started_at: string; ended_at: string; duration_s: number; end: 'stopped' | 'running' | 'died'; stop_reason: string | null }>;
  gaps: Array<{ from: string; to: string; duration_s: number }>;
  /** manifest: as of its last rewrite (exact after a stop); files: rows and bytes counted now. */
  counts_from: 'manifest' | 'files';
  sources: SourceSummary[];
  events: Array<{ event: string; count: number; names?: Record<string, number> }>;
  unreadable_event_lines: number;
  files: { manifest: string; events: string; log: string };
}

/** The summary of the episode in `runDir`; throws VMTEL_NOT_A_RUN_DIR when it is none. */
export function summarizeEpisode(runDir: string, nowWallNs = Date.now() * 1e6): EpisodeSummary {
  const { manifest } = openRunDir(runDir);
  const recordedRunDir = typeof manifest.config['run_dir'] === 'string' ? manifest.config['run_dir'] : runDir;
  const locate = (output: string): { shown: string; path: string } => {
    const inside = relative(recordedRunDir, output);
    if (inside.startsWith('..') || isAbsolute(inside)) return { shown: output, path: output };
    return { shown: inside, path: join(runDir, inside) };
  };
  const live = liveHolder(runDir);
  const stopped = manifest.status === 'stopped' && live === null;
  const countsFrom = stopped ? 'manifest' : 'files';
  const collectors = Object.entries(manifest.collectors);
  const sources = collectors.map(([name, c]) => sourceSummary(name, c, locate(c.output), countsFrom));
  const { events, unreadableLines } = readEventsFile(join(runDir, EVENTS_FILE));
  const rowFiles = collectors.filter(([, c]) => c.enabled).map(([, c]) => locate(c.output).path);
  const parts = processParts(events, rowFiles, live, nowWallNs);
  const startWallNs = parts[0]?.startWallNs ?? Number(manifest.started_wall_ns);
  const endWallNs = parts.at(-1)?.endWallNs ?? startWallNs;
  const last = parts.at(-1);
  return {
    run_dir: runDir,
    vm: manifest.vm,
    episode: manifest.episode,
    state: last?.end === 'running' ? 'running' : stopped ? 'stopped' : 'interrupted',
    stop_reason: stopped ? manifest.stop_reason : null,
    started_at: iso(startWallNs),
    ended_at: iso(endWallNs),
    span_s: seconds(endWallNs - startWallNs),
    recorded_s: seconds(parts.reduce((sum, part) => sum + (part.endWallNs - part.startWallNs), 0)),
    processes: parts.map((part) => ({
      pid: part.pid,
      started_at: iso(part.startWallNs),
      ended_at: iso(part.endWallNs),
      duration_s: seconds(part.endWallNs - part.startWallNs),
      end: part.end,
      stop_reason: part.stopReason,
    })),
    gaps: gapsBetween(parts).map((gap) => ({ from: iso(gap.fromWallNs), to: iso(gap.toWallNs), duration_s: seconds(gap.toWallNs - gap.fromWallNs) })),
    counts_from: countsFrom,
    sources,
    events: countEvents(events),
    unreadable_event_lines: unreadableLines,
    files: { manifest: MANIFEST_FILE, events: EVENTS_FILE, log: LOG_FILE },
  };
}

function sourceSummary(name: string, c: CollectorRecord, file: { shown: string; path: string }, countsFrom: 'manifest' | 'files'): SourceSummary {
  // Drops exist only in the manifest; rows and bytes are on disk, exact at this moment.
  const onDisk = countsFrom === 'files' && c.enabled ? countLines(file.path) : { lines: c.rows, bytes: c.bytes };
  return { name, kind: c.kind, status: c.status, rows: onDisk.lines, bytes: onDisk.bytes, dropped: c.dropped, file: file.shown };
}

function iso(wallNs: number): string {
  return new Date(wallNs / 1e6).toISOString();
}

// Tenths of a millisecond: finer than any figure a summary shows, coarse enough to read.
function seconds(ns: number): number {
  return Math.round(ns / 1e5) / 1e4;
}
