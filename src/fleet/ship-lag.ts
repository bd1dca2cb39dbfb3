// What `vmtel status` says of the shipping while an episode records: the bytes of each file the
// stream has not acknowledged yet, and how far behind that is in time: the age, on the episode's
// timeline, of the oldest line not yet acknowledged (its t_mono_ns). Read from the files and the
// checkpoint in the main thread, only when a status is asked for; the shipper is not disturbed.
import { readSync } from 'node:fs';
import type { EpisodeConfig } from '../config/episode-config';
import { RunDirReader } from './run-dir-reader';
import { readCheckpoint } from './ship-checkpoint';
import { shipSetupOf } from './ship-files';

export interface ShipLag {
  lag_bytes: number;
  /** Age of the oldest unacknowledged line; 0 when everything is acknowledged, null when no line tells. */
  lag_s: number | null;
  /** Unacknowledged bytes per file (files with none left out). */
  files: Record<string, number>;
}

// Enough of a line to find its head's t_mono_ns: the host writes it first in every line.
const HEAD_BYTES = 64;
const T_MONO = /^\{"t_mono_ns":(\d+)/;

/** The shipping lag of the episode `config` records now, or null when it does not ship. */
export function shipLag(config: EpisodeConfig, nowMonoNs: bigint): ShipLag | null {
  if (config.ship === undefined) return null;
  const outputPaths = config.collectors.filter((c) => c.enabled).map((c) => c.outputPath);
  const { setup } = shipSetupOf(config.runDir, { runDir: config.runDir, vm: config.vm, episode: config.episode, outputPaths }, config.ship);
  const checkpoint = readCheckpoint(config.runDir, config.ship.stream, config.ship.subjectPrefix);
  const reader = new RunDirReader(config.runDir);
  try {
    const files: Record<string, number> = {};
    let oldestNs: bigint | null = null;
    for (const file of setup.appendFiles) {
      const offset = checkpoint.files[file]?.offset ?? 0;
      const behind = reader.sizeOf(file) - offset;
      if (behind <= 0) continue;
      files[file] = behind;
      const tMonoNs = headStamp(reader.fdOf(file)!, offset);
      if (tMonoNs !== null && (oldestNs === null || tMonoNs < oldestNs)) oldestNs = tMonoNs;
    }
    const lagBytes = Object.values(files).reduce((sum, bytes) => sum + bytes, 0);
    const lagS = lagBytes === 0 ? 0 : oldestNs === null ? null : Math.max(0, Number(nowMonoNs - oldestNs) / 1e9);
    return { lag_bytes: lagBytes, lag_s: lagS, files };
  } finally {
    reader.close();
  }
}

// The t_mono_ns of the line that starts at `offset`, or null when it does not start with one.
function headStamp(fd: number, offset: number): bigint | null {
  const head = Buffer.alloc(HEAD_BYTES);
  const read = readSync(fd, head, 0, HEAD_BYTES, offset);
  const match = T_MONO.exec(head.toString('latin1', 0, read));
  return match === null ? null : BigInt(match[1]!);
}
