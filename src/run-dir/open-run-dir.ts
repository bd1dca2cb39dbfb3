// What a run dir is, from its manifest: the episode's identity and timeline, and each source's
// file and configured interval. Every reader of run dirs (summary, report, export, the fleet's
// archive check) starts here, so a run dir is recognised, and refused, in one way.
import { statSync } from 'node:fs';
import { join, relative, isAbsolute } from 'node:path';
import { VmtelError } from '../errors';
import { readManifest, type Manifest } from '../orchestrator/manifest';
import { MANIFEST_FILE } from '../run-dir-files';

export interface RunSource {
  /** The collector entry's name: `source` of its rows and events. */
  name: string;
  kind: string;
  enabled: boolean;
  /** Absolute path of its rows file, as the config resolved it. */
  file: string;
  /** The configured sampling interval, or null for a source without one (the guest agent). */
  intervalMs: number | null;
}

export interface RunDir {
  path: string;
  manifest: Manifest;
  sources: RunSource[];
  /** `labels` of episode.json (the config's `labels:`) as text, {} when there are none. */
  labels: Record<string, string>;
}

/** Opens the run dir at `path`; throws VMTEL_NOT_A_RUN_DIR saying what `path` is instead. */
export function openRunDir(path: string): RunDir {
  let isFolder: boolean;
  try {
    isFolder = statSync(path).isDirectory();
  } catch (err) {
    throw notRunDir(path, `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (!isFolder) throw notRunDir(path, 'is a file, not a folder');
  let manifest: Manifest | null;
  try {
    manifest = readManifest(path);
  } catch (err) {
    throw notRunDir(path, `holds an ${MANIFEST_FILE} that does not read as a manifest (${(err as Error).message})`);
  }
  if (manifest === null) throw notRunDir(path, `holds no ${MANIFEST_FILE}`);
  return { path, manifest, sources: sourcesOf(path, manifest), labels: labelsOf(manifest) };
}

function notRunDir(path: string, what: string): VmtelError {
  return new VmtelError('VMTEL_NOT_A_RUN_DIR', `${path} ${what}: not a vmtel run dir (a folder holding ${MANIFEST_FILE})`);
}

function sourcesOf(path: string, manifest: Manifest): RunSource[] {
  const configured = (manifest.config['collectors'] ?? {}) as Record<string, Record<string, unknown>>;
  const names = new Set([...Object.keys(configured), ...Object.keys(manifest.collectors)]);
  return [...names].map((name) => {
    const config = configured[name] ?? {};
    const record = manifest.collectors[name];
    // A kind's options sit beside the shared keys of its entry; manifests written before they
    // were flattened keep them under `options`.
    const options = (config['options'] ?? {}) as Record<string, unknown>;
    const interval = config['interval_ms'] ?? options['interval_ms'];
    const output = record?.output ?? (typeof config['output'] === 'string' ? config['output'] : join(String(manifest.config['run_dir']), `telemetry-${name}.jsonl`));
    return {
      name,
      kind: record?.kind ?? (typeof config['kind'] === 'string' ? config['kind'] : name),
      enabled: record?.enabled ?? config['enabled'] !== false,
      file: rebased(output, manifest, path),
      intervalMs: typeof interval === 'number' && interval > 0 ? interval : null,
    };
  });
}

// A run dir may have moved since it was recorded (copied off the host, archived): a file recorded
// inside the old run dir is looked for at the same place inside this one.
function rebased(file: string, manifest: Manifest, path: string): string {
  const recordedRunDir = manifest.config['run_dir'];
  if (typeof recordedRunDir !== 'string') return file;
  const inside = relative(recordedRunDir, file);
  return inside.startsWith('..') || isAbsolute(inside) ? file : join(path, inside);
}

// Manifests written before labels existed have none.
function labelsOf(manifest: Manifest): Record<string, string> {
  const labels: unknown = manifest.labels;
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) return {};
  return Object.fromEntries(Object.entries(labels).map(([key, value]) => [key, String(value)]));
}
