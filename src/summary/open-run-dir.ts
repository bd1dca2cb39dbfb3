// The summary's first question: is this a run dir at all? A regular file, a missing path or a
// folder without episode.json is a mistake of the user's, said in one line, not a stack.
import { readFileSync, statSync } from 'node:fs';
import { VmtelError } from '../errors';
import { readManifest, type Manifest } from '../orchestrator/manifest';
import { LOCK_FILE, MANIFEST_FILE } from '../run-dir-files';
import { join } from 'node:path';

/** The manifest of `runDir`; throws VMTEL_NOT_A_RUN_DIR saying what `runDir` is instead. */
export function openRunDir(runDir: string): Manifest {
  let isFolder: boolean;
  try {
    isFolder = statSync(runDir).isDirectory();
  } catch (err) {
    throw notRunDir(runDir, `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (!isFolder) throw notRunDir(runDir, 'is a file, not a folder');
  let manifest: Manifest | null;
  try {
    manifest = readManifest(runDir);
  } catch (err) {
    throw notRunDir(runDir, `holds an ${MANIFEST_FILE} that does not read as a manifest (${(err as Error).message})`);
  }
  if (manifest === null) throw notRunDir(runDir, `holds no ${MANIFEST_FILE}`);
  return manifest;
}

/** The pid in the run dir's lock when that process is alive (a vmtel recording there now), else null. */
export function liveHolder(runDir: string): number | null {
  let text: string;
  try {
    text = readFileSync(join(runDir, LOCK_FILE), 'utf8');
  } catch {
    return null;
  }
  const pid = /^\s*(\d{1,10})\s*$/.test(text) ? Number(text) : 0;
  if (pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    // EPERM: alive, but another user's.
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}

function notRunDir(runDir: string, what: string): VmtelError {
  return new VmtelError('VMTEL_NOT_A_RUN_DIR', `${runDir} ${what}: not a vmtel run dir (a folder holding ${MANIFEST_FILE})`);
}
