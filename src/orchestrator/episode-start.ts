// Decides where this process's timeline starts. A fresh run dir gets a new origin; a run dir
// that already holds this episode (pm2 restarted us after a crash) keeps its origin so the
// timeline continues, unless the host rebooted since (CLOCK_MONOTONIC restarted): then a new
// origin opens a new timeline segment. Torn last lines of every JSONL file are repaired before
// anything appends to them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EpisodeConfig } from '../config/episode-config';
import { ControlBlock } from '../control/control-block';
import { measureWallAnchor, type WallAnchor } from '../control/wall-anchor';
import { VmtelError } from '../errors';
import { repairTornTail, type TornTail } from '../sink/torn-line-repair';
import { VMTEL_VERSION } from '../version';
import { isoOf, readManifest, type Manifest, type WallAnchorRecord } from './manifest';

const BOOT_ID_PATH = '/proc/sys/kernel/random/boot_id';

export interface EpisodeStart {
  control: ControlBlock;
  /** The wall anchor every t_wall_ns of this process rests on, with its measured error. */
  wallAnchor: WallAnchor;
  bootId: string;
  /** The manifest left by an earlier start of this episode, or null on a fresh run dir. */
  previous: Manifest | null;
  segment: number;
  /** Why a new segment began (the host rebooted), or null when the timeline simply continues. */
  newSegmentReason: string | null;
  repaired: TornTail[];
}

/** Call with the run dir created and locked. */
export function startEpisode(config: EpisodeConfig): EpisodeStart {
  const previous = readManifest(config.runDir);
  if (previous !== null && (previous.vm !== config.vm || previous.episode !== config.episode)) {
    throw new VmtelError(
      'VMTEL_RUN_DIR_MISMATCH',
      `run directory ${config.runDir} holds vm "${previous.vm}" episode "${previous.episode}", not vm "${config.vm}" episode "${config.episode}"`,
    );
  }
  const bootId = readFileSync(BOOT_ID_PATH, 'utf8').trim();
  const sameBoot = previous !== null && previous.boot_id === bootId;
  const wallAnchor = measureWallAnchor();
  const control = ControlBlock.create(sameBoot ? previous.t_mono_origin_ns : undefined, {
    wallOffsetNs: wallAnchor.offsetNs,
    heartbeatSlots: config.collectors.length,
  });
  const repaired = readdirSync(config.runDir)
    .filter((file) => file.endsWith('.jsonl'))
    .map((file) => repairTornTail(join(config.runDir, file), config.fileMode))
    .filter((tail): tail is TornTail => tail !== null);
  return {
    control,
    wallAnchor,
    bootId,
    previous,
    segment: previous === null ? 0 : sameBoot ? previous.segment : previous.segment + 1,
    newSegmentReason: previous !== null && !sameBoot ? `host rebooted (boot id ${previous.boot_id} → ${bootId})` : null,
    repaired,
  };
}

/** The manifest of this start: the episode's identity, what earlier starts left, and this start. */
export function openManifest(config: EpisodeConfig, start: EpisodeStart, startedWallNs: bigint): Manifest {
  const wallAnchor = wallAnchorRecord(start.wallAnchor);
  return {
    vmtel_version: VMTEL_VERSION,
    vm: config.vm,
    episode: config.episode,
    labels: config.labels,
    status: 'running',
    t_mono_origin_ns: start.control.originNs,
    boot_id: start.bootId,
    segment: start.segment,
    started_wall_ns: start.previous?.started_wall_ns ?? startedWallNs,
    started_at: start.previous?.started_at ?? isoOf(startedWallNs),
    wall_anchor: wallAnchor,
    stopped_wall_ns: null,
    stopped_at: null,
    stop_reason: null,
    duration_s: null,
    orchestrator_restarts: start.previous === null ? 0 : start.previous.orchestrator_restarts + 1,
    starts: [
      ...(start.previous?.starts ?? []),
      {
        pid: process.pid,
        started_wall_ns: startedWallNs,
        boot_id: start.bootId,
        segment: start.segment,
        t_mono_origin_ns: start.control.originNs,
        wall_anchor: wallAnchor,
      },
    ],
    config_path: config.configPath,
    config_digest: config.digest,
    config: config.resolved,
    collectors: {},
    control: start.previous?.control ?? null,
    torn_lines: [
      ...(start.previous?.torn_lines ?? []),
      ...start.repaired.map((tail) => ({ file: tail.path, torn_bytes: tail.tornBytes, torn_path: tail.tornPath })),
    ],
  };
}

/** The manifest's and events' form of a wall anchor. */
export function wallAnchorRecord(anchor: WallAnchor): WallAnchorRecord {
  return { offset_ns: anchor.offsetNs, uncertainty_ns: anchor.uncertaintyNs, method: 'ms_edge_bracket' };
}
