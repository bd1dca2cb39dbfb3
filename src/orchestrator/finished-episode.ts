// One trial per episode: a run dir whose episode ended (its manifest says stopped) is not
// silently appended to by a second `vmtel run`, which would mix two trials in one dataset. The
// operator says which they mean: --continue (more of the same episode, on the same timeline) or
// --new-run-dir (a new trial in a directory of its own). A crash leaves the manifest `running`,
// so pm2's restart of a crashed vmtel still continues as before.
import { VmtelError } from '../errors';
import type { Manifest } from './manifest';

/** Throws VMTEL_EPISODE_FINISHED when `previous` ended and the caller did not ask to continue it. */
export function refuseFinishedEpisode(previous: Manifest | null, runDir: string, continueFinished: boolean): void {
  if (previous === null || previous.status !== 'stopped' || continueFinished) return;
  throw new VmtelError(
    'VMTEL_EPISODE_FINISHED',
    `run directory ${runDir} holds episode "${previous.episode}" of vm "${previous.vm}", which ended at ${previous.stopped_at ?? 'an unknown time'} (${previous.stop_reason ?? 'no reason recorded'}); --continue records more of it on the same timeline, --new-run-dir starts a new trial in a new directory`,
  );
}
