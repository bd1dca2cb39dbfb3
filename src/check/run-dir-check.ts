// Can `vmtel run` record into the run dir? It must be a folder vmtel can create files in (or be
// creatable under its nearest existing parent), not hold another episode, and not be in use. The
// check writes nothing it leaves behind: a probe folder is created and removed at once, which
// finds a read-only file system or missing rights even for root.
import { accessSync, constants, mkdtempSync, rmdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { EpisodeConfig } from '../config/episode-config';
import { readManifest } from '../orchestrator/manifest';
import { liveHolder } from '../run-dir';
import { fail, ok, type CheckResult } from './check-result';

const SUBJECT = 'run_dir';

export function checkRunDir(config: EpisodeConfig): CheckResult {
  const { runDir } = config;
  const existing = nearestExisting(runDir);
  if (existing === null) return fail(SUBJECT, `${runDir}: no part of the path exists`);
  if (!statSync(existing).isDirectory()) return fail(SUBJECT, `${existing} is a file, so ${runDir} cannot be a folder`);
  const probe = probeWrite(existing);
  if (probe !== null) return fail(SUBJECT, `${runDir}: vmtel cannot create files in ${existing} (${probe}); choose another run_dir or fix its owner and mode`);
  if (existing !== runDir) return ok(SUBJECT, `${runDir} will be created (in ${existing}, writable)`);

  const holder = liveHolder(runDir);
  if (holder !== null) return fail(SUBJECT, `${runDir} is in use by vmtel process ${holder}: one vmtel per run dir`);
  let manifest;
  try {
    manifest = readManifest(runDir);
  } catch (err) {
    return fail(SUBJECT, `${runDir} holds an episode.json that does not read (${(err as Error).message}): move it away or choose another run_dir`);
  }
  if (manifest === null) return ok(SUBJECT, `${runDir} exists and is writable`);
  if (manifest.vm !== config.vm || manifest.episode !== config.episode) {
    return fail(SUBJECT, `${runDir} holds vm "${manifest.vm}" episode "${manifest.episode}", not this one: choose another run_dir or episode`);
  }
  return ok(SUBJECT, `${runDir} holds this episode (${manifest.status}): a run continues it on the same timeline`);
}

function nearestExisting(path: string): string | null {
  for (let current = path; ; current = dirname(current)) {
    try {
      statSync(current);
      return current;
    } catch {
      if (dirname(current) === current) return null;
    }
  }
}

// null when a folder can be created (and removed) in `dir`, else the errno code.
function probeWrite(dir: string): string | null {
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
    rmdirSync(mkdtempSync(join(dir, '.vmtel-check-')));
    return null;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  }
}
