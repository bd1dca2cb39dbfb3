// RUN_DIR/episode.json: what an analyst reads first. It says which VM and episode the files
// belong to, the origin every t_mono_ns is relative to, the host boot it was taken on, the
// config, and per collector what was recorded and what was lost. It is rewritten atomically
// while the episode runs, so even after a crash it is whole and at most a few seconds old.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CollectorCounts } from '../collectors/contract';
import type { ShipRecord } from '../fleet/shipper-supervisor';
import { MANIFEST_FILE } from '../run-dir-files';
import { parseExactJson } from '../sink/exact-json';
import { toJson } from '../sink/json-line';
import { writeFileAtomic } from './atomic-file';

export interface CollectorRecord extends CollectorCounts {
  kind: string;
  enabled: boolean;
  output: string;
  available_in_deployment: boolean;
  status: string;
  restarts: number;
  last_reason: string | null;
}

/** One start of the orchestrator process on this episode (the first, then one per restart). */
export interface OrchestratorStart {
  pid: number;
  started_wall_ns: bigint;
  boot_id: string;
  /** Timeline segment: grows when the host rebooted and a new origin had to be taken. */
  segment: number;
  t_mono_origin_ns: bigint;
}

export interface Manifest {
  vmtel_version: string;
  vm: string;
  episode: string;
  status: 'running' | 'stopped';
  /** The episode's origin as absolute CLOCK_MONOTONIC ns: t_mono_ns = CLOCK_MONOTONIC − this. */
  t_mono_origin_ns: bigint;
  boot_id: string;
  segment: number;
  started_wall_ns: bigint;
  started_at: string;
  stopped_wall_ns: bigint | null;
  stopped_at: string | null;
  stop_reason: string | null;
  duration_s: number | null;
  orchestrator_restarts: number;
  starts: OrchestratorStart[];
  config_path: string;
  config_digest: string;
  config: Record<string, unknown>;
  collectors: Record<string, CollectorRecord>;
  torn_lines: Array<{ file: string; torn_bytes: number; torn_path: string }>;
  /** With `ship:`, once the episode stopped: what the stop's drain shipped (docs/fleet.md). */
  ship?: ShipRecord;
}

/** Writes the manifest whole; `durable: false` leaves out the fsync (see atomic-file.ts). */
export function writeManifest(runDir: string, manifest: Manifest, options: { durable?: boolean } = {}): void {
  writeFileAtomic(join(runDir, MANIFEST_FILE), `${toJson(manifest)}\n`, options);
}

/** The manifest in `runDir`, or null when there is none. Integers beyond 2^53 come back exact. */
export function readManifest(runDir: string): Manifest | null {
  let text: string;
  try {
    text = readFileSync(join(runDir, MANIFEST_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const manifest = parseExactJson(text) as unknown as Manifest;
  // Small origins (a freshly booted host) parse as numbers; every reader expects bigint.
  manifest.t_mono_origin_ns = BigInt(manifest.t_mono_origin_ns);
  manifest.started_wall_ns = BigInt(manifest.started_wall_ns);
  return manifest;
}

/** ISO-8601 text of a wall-clock ns stamp, for people. */
export function isoOf(wallNs: bigint): string {
  return new Date(Number(wallNs / 1_000_000n)).toISOString();
}
