// Decides where this process's timeline starts. A fresh run dir gets a new origin; a run dir
// that already holds this episode (pm2 restarted us after a crash) keeps its origin so the
// timeline continues, unless the host rebooted since (CLOCK_MONOTONIC restarted): then a new
// origin opens a new timeline segment. Torn last lines of every JSONL file are repaired before
// anything appends to them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EpisodeConfig } from '../config/episode-config';
import { ControlBlock } from '../control/control-block';
import { VmtelError } from '../errors';
import { repairTornTail, type TornTail } from '../sink/torn-line-repair';
import { readManifest, type Manifest } from './manifest';

const BOOT_ID_PATH = '/proc/sys/kernel/random/boot_id';

export interface EpisodeStart {
  control: ControlBlock;
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
  const control = ControlBlock.create(sameBoot ? previous.t_mono_origin_ns : undefined);
  const repaired = readdirSync(config.runDir)
    .filter((file) => file.endsWith('.jsonl'))
    .map((file) => repairTornTail(join(config.runDir, file)))
    .filter((tail): tail is TornTail => tail !== null);
  return {
    control,
    bootId,
    previous,
    segment: previous === null ? 0 : sameBoot ? previous.segment : previous.segment + 1,
    newSegmentReason: previous !== null && !sameBoot ? `host rebooted (boot id ${previous.boot_id} → ${bootId})` : null,
    repaired,
  };
}
