// Writes an episode's run dir by hand, with rows whose values the test chose, so that what an
// export computes can be checked against numbers known in advance. The manifest is written by
// the orchestrator's own writer; rows and events are JSONL lines as collectors write them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeManifest, type CollectorRecord, type Manifest } from '../../src/orchestrator/manifest';
import { toJson } from '../../src/sink/json-line';

export interface SyntheticSource {
  name: string;
  kind: string;
  deployable: boolean;
  /** Rows without the host's keys, which are added: each needs its `t_mono_ns`. */
  rows: Array<Record<string, unknown> & { t_mono_ns: bigint | number }>;
  /** Raw text appended after the rows (a torn last line, say). */
  tail?: string;
  /** Rows the manifest claims (default: rows.length); more than written is a dropped line. */
  rowsRecorded?: number;
  /** The user's module of a `module:` collector, as the manifest's config records it. */
  modulePath?: string;
}

export interface SyntheticEpisode {
  vm: string;
  episode: string;
  durationS: number;
  labels?: Record<string, string>;
  sources: SyntheticSource[];
  events?: Array<Record<string, unknown>>;
  /**
   * An episode continued after host reboots: per timeline segment, the seconds from segment 0's
   * t_mono_ns 0 to this segment's (by the wall clock). A row or event with `segment: k` is
   * stamped on segment k's own monotonic clock. Absent: one segment.
   */
  segmentEpochsS?: number[];
}

// A plausible origin and wall anchor: the stamps of every row are built from them.
const ORIGIN_NS = 426_851_661_183n;
export const WALL_START_NS = 1_795_981_248_729_741_556n;

/** Writes `episode` into `runDir` (created) and returns it. */
export function writeSyntheticEpisode(runDir: string, episode: SyntheticEpisode): string {
  mkdirSync(runDir, { recursive: true });
  const collectors: Record<string, CollectorRecord> = {};
  for (const source of episode.sources) {
    const file = `telemetry-${source.name}.jsonl`;
    const lines = source.rows.map(({ t_mono_ns: at, segment, ...fields }) => {
      const tMonoNs = BigInt(at);
      const tWallNs = segmentWallNs(episode, segment) + tMonoNs;
      return `${toJson({ t_mono_ns: tMonoNs, t_wall_ns: tWallNs, source: source.name, available_in_deployment: source.deployable, ...fields })}\n`;
    });
    writeFileSync(join(runDir, file), lines.join('') + (source.tail ?? ''));
    collectors[source.name] = collectorRecord(source.kind, file, source.deployable, source.rowsRecorded ?? source.rows.length);
  }
  const events = (episode.events ?? []).map(({ segment, ...event }) => `${toJson({ t_wall_ns: segmentWallNs(episode, segment) + BigInt(event['t_mono_ns'] as number), ...event })}\n`);
  writeFileSync(join(runDir, 'events.jsonl'), events.join(''));
  const modules = episode.sources.filter((source) => source.modulePath !== undefined).map((source) => [source.name, { module: source.modulePath }]);
  writeSyntheticManifest(runDir, episode, collectors, Object.fromEntries(modules));
  return runDir;
}

// The wall time of t_mono_ns 0 of the segment `segment` (a row's or event's, default 0).
function segmentWallNs(episode: Pick<SyntheticEpisode, 'segmentEpochsS'>, segment: unknown): bigint {
  return WALL_START_NS + atS(episode.segmentEpochsS?.[Number(segment ?? 0)] ?? 0);
}

// Each boot's CLOCK_MONOTONIC origin: any values, as unrelated as two boots' clocks are.
const segmentOriginNs = (segment: number): bigint => ORIGIN_NS + BigInt(segment) * 7_777_777_777n;

/** Seconds on the episode timeline as t_mono_ns. */
export function atS(seconds: number): bigint {
  return BigInt(Math.round(seconds * 1e9));
}

/** A stopped episode's episode.json with `collectors` as recorded: what an export reads first. */
export function writeSyntheticManifest(
  runDir: string,
  episode: Pick<SyntheticEpisode, 'vm' | 'episode' | 'durationS' | 'labels' | 'segmentEpochsS'>,
  collectors: Record<string, CollectorRecord>,
  configuredCollectors: Record<string, unknown> = {},
): void {
  const manifest: Manifest = {
    vmtel_version: '0.1.0',
    vm: episode.vm,
    episode: episode.episode,
    status: 'stopped',
    t_mono_origin_ns: ORIGIN_NS,
    boot_id: 'b229d551-809e-4ef8-aea8-95794b04dc49',
    segment: Math.max(0, (episode.segmentEpochsS?.length ?? 1) - 1),
    started_wall_ns: WALL_START_NS,
    started_at: '2026-11-29T19:40:48.729Z',
    wall_anchor: { offset_ns: WALL_START_NS - ORIGIN_NS, uncertainty_ns: 100n, method: 'ms_edge_bracket' },
    stopped_wall_ns: WALL_START_NS + BigInt(Math.round(episode.durationS * 1e9)),
    stopped_at: '2026-11-29T19:40:58.729Z',
    stop_reason: 'duration',
    duration_s: episode.durationS,
    orchestrator_restarts: 0,
    // One start per segment (a start after a reboot), placed by its wall anchor.
    starts: (episode.segmentEpochsS ?? []).map((_epochS, segment) => ({
      pid: 1000 + segment,
      started_wall_ns: segmentWallNs(episode, segment),
      boot_id: `boot-${segment}`,
      segment,
      t_mono_origin_ns: segmentOriginNs(segment),
      wall_anchor: { offset_ns: segmentWallNs(episode, segment) - segmentOriginNs(segment), uncertainty_ns: 100n, method: 'ms_edge_bracket' },
    })),
    config_path: '/elsewhere/vm.yaml',
    config_digest: '0'.repeat(64),
    // Recorded elsewhere and moved here since, as an archived episode is.
    config: { run_dir: '/elsewhere', collectors: configuredCollectors },
    collectors,
    control: null,
    torn_lines: [],
    labels: episode.labels ?? {},
  };
  writeManifest(runDir, manifest, { durable: false });
}

/** The manifest record of a source whose rows went to `file`. */
export function collectorRecord(kind: string, file: string, deployable: boolean, rows: number): CollectorRecord {
  return {
    kind,
    enabled: true,
    output: join('/elsewhere', file),
    available_in_deployment: deployable,
    flush_ms: 100,
    max_heap_mb: 256,
    options: {},
    status: 'stopped',
    restarts: 0,
    last_reason: 'stopped',
    rows,
    bytes: 0,
    dropped: {},
    stats: {},
  };
}
