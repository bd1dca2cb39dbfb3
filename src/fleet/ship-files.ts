// Which files of a run dir are shipped, and what is left of them: the collectors' outputs and
// events.jsonl as append-only files, episode.json as snapshots. vmtel.log, the lock, pm2's logs
// and the checkpoint stay on the host. Only files directly in the run dir ship: a collector
// output elsewhere has no place under DIR/<vm>/<episode>/ in the archive.
import { relative, sep } from 'node:path';
import type { ShipConfig } from '../config/ship-config';
import { EVENTS_FILE, MANIFEST_FILE } from '../run-dir-files';
import { bytesBehind, RunDirReader } from './run-dir-reader';
import { readCheckpoint } from './ship-checkpoint';
import type { ShipperSetup } from './shipper';

/** The shipper's setup for a run dir whose collector outputs were at `outputPaths` under `recordedRunDir`. */
export function shipSetupOf(
  runDir: string,
  recorded: { runDir: string; vm: string; episode: string; outputPaths: string[] },
  ship: ShipConfig,
): { setup: ShipperSetup; skipped: string[] } {
  const appendFiles = [EVENTS_FILE];
  const skipped: string[] = [];
  for (const output of recorded.outputPaths) {
    const name = relative(recorded.runDir, output);
    if (name === '' || name.includes(sep) || name.startsWith('..')) skipped.push(output);
    else if (!appendFiles.includes(name)) appendFiles.push(name);
  }
  return { setup: { runDir, vm: recorded.vm, episode: recorded.episode, ship, appendFiles, snapshotFiles: [MANIFEST_FILE] }, skipped };
}

/** Bytes of each append-only file past its checkpoint (files with none left out). */
export function unshippedBytes(setup: ShipperSetup): Record<string, number> {
  const checkpoint = readCheckpoint(setup.runDir, setup.ship.stream, setup.ship.subjectPrefix);
  const files = new RunDirReader(setup.runDir);
  try {
    return bytesBehind(setup.appendFiles, (file) => files.sizeOf(file), (file) => checkpoint.files[file]?.offset ?? 0);
  } finally {
    files.close();
  }
}
