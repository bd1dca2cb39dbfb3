// Taking a run dir, in the order that writes nothing into one that is refused: check it (the
// same check as `vmtel validate`), create it with dir_mode, take its lock, and, once the episode
// is known to be this one, claim every file vmtel will write there (created with file_mode, or
// checked to be a regular file of ours) before any worker opens one. A failure of the host
// (EACCES, EROFS, ENOSPC) is an error with its own code, not VMTEL_INTERNAL.
import { chmodSync, closeSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkRunDir, runDirErrorOf } from '../config/run-dir-check';
import type { EpisodeConfig } from '../config/episode-config';
import { EVENTS_FILE, LOG_FILE } from '../run-dir-files';
import { openOwnFile } from '../sink/own-file';
import { RunDirLock } from './run-dir-lock';

/** Checks, creates and locks the run dir; throws a coded VmtelError when it cannot. */
export function takeRunDir(config: EpisodeConfig): RunDirLock {
  checkRunDir(config.runDir, config.dirMode);
  try {
    // mkdir's mode is cut by the umask; the run dir itself gets dir_mode exactly.
    if (mkdirSync(config.runDir, { recursive: true, mode: config.dirMode }) !== undefined) chmodSync(config.runDir, config.dirMode);
    return RunDirLock.acquire(config.runDir, config.fileMode);
  } catch (err) {
    throw runDirErrorOf(err, config.runDir, 'cannot take run directory');
  }
}

/** Creates or checks every file of the episode: events, log and each enabled collector's output. */
export function claimEpisodeFiles(config: EpisodeConfig): void {
  const paths = [join(config.runDir, EVENTS_FILE), join(config.runDir, LOG_FILE), ...config.collectors.filter((c) => c.enabled).map((c) => c.output)];
  for (const path of paths) {
    try {
      closeSync(openOwnFile(path, 'append', config.fileMode, true).fd);
    } catch (err) {
      throw runDirErrorOf(err, path, 'cannot open');
    }
  }
}
