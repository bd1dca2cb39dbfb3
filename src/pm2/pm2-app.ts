// One pm2 app declaration per VM: how pm2 starts, stops and restarts `vmtel run` for it. Every
// value here follows from how vmtel stops and fails (docs/pm2.md tells the operator's side).
import { basename, extname, join } from 'node:path';
import { EXIT_CODES } from '../errors';
import { PM2_ERROR_LOG, PM2_OUT_LOG } from '../run-dir-files';
import type { VmSummary } from './vm-summary';

// After SIGINT vmtel gives its workers stop_grace_ms, then terminates the stragglers, writes the
// manifest and closes its logs: well under a second even on a busy host, so two seconds on top
// of the grace is enough, and a SIGKILL from pm2 only ever hits a vmtel that is truly stuck.
const STOP_MARGIN_MS = 2000;
// First restart after a crash this soon, to keep the gap in the data short; pm2 then grows the
// delay by 1.5 per further crash (capped at 15 s) and resets it after 30 s of uptime.
const RESTART_BACKOFF_MS = 500;
// vmtel takes well under a second to start, and failures at start (the run dir held by another
// live vmtel) come at once; a process that lived this long was recording, so its crash is not
// counted as unstable.
const MIN_UPTIME_MS = 5000;
// Ten crashes in a row, each within MIN_UPTIME_MS of its start (about 50 s of backoff), mean the
// host is broken, not unlucky: pm2 gives up and shows the app as errored.
const MAX_RESTARTS = 10;

/** The built CLI (one bundled file: docs/build.md), relative to the repository. */
export const CLI_SCRIPT = join('dist', 'bundle', 'vmtel.js');

/** An app as pm2's ecosystem schema spells its keys. */
export interface Pm2App {
  name: string;
  script: string;
  args: string[];
  interpreter: 'node';
  exec_mode: 'fork';
  instances: 1;
  cwd: string;
  autorestart: true;
  stop_exit_codes: number[];
  kill_timeout: number;
  exp_backoff_restart_delay: number;
  min_uptime: number;
  max_restarts: number;
  treekill: boolean;
  pmx: boolean;
  vizion: boolean;
  watch: false;
  merge_logs: true;
  time: false;
  out_file?: string;
  error_file?: string;
}

/** The app that records the VM of `summary`; `repoDir` is this repository's absolute path. */
export function pm2App(summary: VmSummary, repoDir: string): Pm2App {
  const logs = summary.runDir === null ? {} : { out_file: join(summary.runDir, PM2_OUT_LOG), error_file: join(summary.runDir, PM2_ERROR_LOG) };
  return {
    name: appName(summary),
    script: join(repoDir, CLI_SCRIPT),
    args: ['run', '--config', summary.configPath, '--done-exit-code', String(EXIT_CODES.doneUnderPm2)],
    interpreter: 'node',
    // Fork, one instance: a VM has exactly one recorder; cluster mode would start several.
    exec_mode: 'fork',
    instances: 1,
    cwd: repoDir,
    autorestart: true,
    // A finished episode (3), a config that cannot work (2) and a run dir lost mid-episode (4) are
    // final; 1 and a death by signal (which pm2 reports as 0) are worth a retry. 0 cannot mean
    // "finished" here: see EXIT_CODES.
    stop_exit_codes: [EXIT_CODES.doneUnderPm2, EXIT_CODES.config, EXIT_CODES.runDirLost],
    kill_timeout: summary.stopGraceMs + summary.shipDrainMs + STOP_MARGIN_MS,
    exp_backoff_restart_delay: RESTART_BACKOFF_MS,
    min_uptime: MIN_UPTIME_MS,
    max_restarts: MAX_RESTARTS,
    // vmtel's collectors are threads that it stops itself, in order; a signal to the whole
    // process tree would reach any helper process before its collector could flush.
    treekill: false,
    // @pm2/io would swallow unhandled rejections (a silent failure) and keep the IPC channel, and
    // with it the process, alive after the episode ended.
    pmx: false,
    // No git metadata: a run is identified by its manifest, not by pm2's view of the checkout.
    vizion: false,
    watch: false,
    merge_logs: true,
    // vmtel stamps its own lines; a pm2 stamp in front would only double them.
    time: false,
    ...logs,
  };
}

/** `vmtel-<vm>`, or `vmtel-<file name>` for a file whose vm cannot be read. */
export function appName(summary: VmSummary): string {
  return `vmtel-${summary.vm ?? basename(summary.configPath, extname(summary.configPath))}`;
}
