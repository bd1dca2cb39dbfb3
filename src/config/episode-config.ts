// The resolved configuration of one episode: what `loadConfig` returns after validation, with
// every default filled in and every path absolute. Nothing downstream reads YAML.
import type { LogLevel } from '../collectors/contract';
import type { Labels } from '../live/labels';
import type { ShipConfig } from './ship-config';

export interface RestartPolicy {
  /** Restarts allowed for one collector before it is given up; the count resets after a calm spell. */
  maxRestarts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** A collector that ran this long without failing gets its restart count back. */
  resetAfterMs: number;
}

export interface CollectorConfig {
  /** The entry's key under `collectors:`; the `source` of its rows and events. */
  name: string;
  kind: string;
  /** Absolute path of the user's module that exports `collector`; undefined for a built-in kind. */
  modulePath: string | undefined;
  enabled: boolean;
  /** Absolute path of the JSONL file its rows go to. */
  outputPath: string;
  availableInDeployment: boolean;
  flushMs: number;
  /** The worker's old-generation heap limit (resourceLimits), in MiB. */
  maxHeapMb: number;
  /** The kind's options, validated, defaults filled, paths absolute. */
  options: Record<string, unknown>;
}

export interface EpisodeConfig {
  /** Absolute path of the YAML file. */
  configPath: string;
  /** sha256 of the config file's bytes, hex. */
  digest: string;
  vm: string;
  episode: string;
  runDir: string;
  /** `labels:`, the episode's ground truth (workload, benign or malicious); {} when absent. */
  labels: Labels;
  /** Mode of the files vmtel creates (`file_mode`). */
  fileMode: number;
  /** Mode of a run dir vmtel creates (`dir_mode`); write bits for group/other beyond it are refused. */
  dirMode: number;
  logLevel: LogLevel;
  stopGraceMs: number;
  /** A worker whose heartbeat is this old while the episode runs is unresponsive. */
  unresponsiveAfterMs: number;
  restart: RestartPolicy;
  /** Every entry, enabled or not, in file order. */
  collectors: CollectorConfig[];
  /** `ship:`; absent when the episode is recorded locally only. */
  ship?: ShipConfig;
  /** The resolved config as YAML-ready data (snake_case keys, defaults filled), for printing and the manifest. */
  resolved: Record<string, unknown>;
}
