// RUN_DIR/episode.json: what an analyst reads first. It says which VM and episode the files
// belong to, the origin every t_mono_ns is relative to, the host boot it was taken on, the
// config, and per collector what was recorded and what was lost. It is rewritten atomically
// while the episode runs, so even after a crash it is whole and at most a few seconds old.
import { join } from 'node:path';
import type { CollectorCounts } from '../collectors/contract';
import type { CollectorEntry } from '../config/collector-entry';
import type { ControlCounts } from '../live/control-server';
import type { Labels } from '../live/labels';
import type { ShipRecord } from '../fleet/shipper-supervisor';
import { MANIFEST_FILE } from '../run-dir-files';
import { parseExactJson } from '../sink/exact-json';
import { toJson } from '../sink/json-line';
import { readOwnText } from '../sink/own-file';
import { writeFileAtomic, type AtomicWriteOptions } from './atomic-file';

/** A collector in episode.json: its resolved entry (the key is its name), then how it fared. */
export interface CollectorRecord extends CollectorCounts, Omit<CollectorEntry, 'name'> {
  status: string;
  restarts: number;
  last_reason: string | null;
}

/** t_wall_ns = CLOCK_MONOTONIC + offset_ns, right to ± uncertainty_ns (docs/collectors/guest-agent.md, Time). */
export interface WallAnchorRecord {
  offset_ns: bigint;
  uncertainty_ns: bigint;
  /** How it was measured: `ms_edge_bracket`, a millisecond edge of the wall clock between two monotonic reads. */
  method: string;
}

/** One start of the orchestrator process on this episode (the first, then one per restart). */
export interface OrchestratorStart {
  pid: number;
  started_wall_ns: bigint;
  boot_id: string;
  /** Timeline segment: grows when the host rebooted and a new origin had to be taken. */
  segment: number;
  t_mono_origin_ns: bigint;
  /** The anchor of the t_wall_ns this start wrote. */
  wall_anchor: WallAnchorRecord;
}

export interface Manifest {
  vmtel_version: string;
  vm: string;
  episode: string;
  /** The config's `labels:`, the episode's ground truth ({} when it has none). */
  labels: Labels;
  status: 'running' | 'stopped';
  /** The episode's origin as absolute CLOCK_MONOTONIC ns: t_mono_ns = CLOCK_MONOTONIC − this. */
  t_mono_origin_ns: bigint;
  boot_id: string;
  segment: number;
  started_wall_ns: bigint;
  started_at: string;
  /** The anchor of the latest start, the one whose stamps are being written. */
  wall_anchor: WallAnchorRecord;
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
  /** The control socket's requests, rejected inputs by reason and markers (docs/control.md). */
  control: (ControlCounts & { markers: number }) | null;
  torn_lines: Array<{ file: string; torn_bytes: number; torn_path: string }>;
  /** With `ship:`, once the episode stopped: what the stop's drain shipped (docs/fleet.md). */
  ship?: ShipRecord;
}

/** Writes the manifest whole; `durable: false` leaves out the fsync (see atomic-file.ts). */
export function writeManifest(runDir: string, manifest: Manifest, options: AtomicWriteOptions = {}): void {
  writeFileAtomic(join(runDir, MANIFEST_FILE), `${toJson(manifest)}\n`, options);
}

/** The manifest in `runDir`, or null when there is none. Integers beyond 2^53 come back exact. */
export function readManifest(runDir: string): Manifest | null {
  const text = readOwnText(join(runDir, MANIFEST_FILE));
  if (text === null) return null;
  const manifest = parseExactJson(text) as unknown as Manifest;
  // Small origins (a freshly booted host) parse as numbers; every reader expects bigint.
  manifest.t_mono_origin_ns = BigInt(manifest.t_mono_origin_ns);
  manifest.started_wall_ns = BigInt(manifest.started_wall_ns);
  // Absent in a manifest written before the anchor was recorded.
  if (manifest.wall_anchor !== undefined) manifest.wall_anchor.uncertainty_ns = BigInt(manifest.wall_anchor.uncertainty_ns);
  return manifest;
}

/** ISO-8601 text of a wall-clock ns stamp, for people. */
export function isoOf(wallNs: bigint): string {
  return new Date(Number(wallNs / 1_000_000n)).toISOString();
}
