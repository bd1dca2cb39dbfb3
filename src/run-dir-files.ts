// The files vmtel itself keeps in an episode's run dir, named once: the orchestrator writes
// them, pm2's app points its logs at two of them, and the config loader refuses a collector
// output that would take one.

export const EVENTS_FILE = 'events.jsonl';
export const MANIFEST_FILE = 'episode.json';
export const LOG_FILE = 'vmtel.log';
export const LOCK_FILE = 'vmtel.lock';
/** The control socket `vmtel run` serves (docs/control.md). */
export const CONTROL_SOCKET_FILE = 'control.sock';
/** `vmtel report`'s page for the episode, when no --out is given. */
export const REPORT_FILE = 'report.html';
/** How far each file is in the fleet's stream (src/fleet/ship-checkpoint.ts). */
export const SHIP_CHECKPOINT_FILE = 'ship-checkpoint.json';
/** pm2's copies of vmtel's stdout and stderr, when pm2 runs it (ecosystem.config.js). */
export const PM2_OUT_LOG = 'pm2-out.log';
export const PM2_ERROR_LOG = 'pm2-error.log';

/** Every file name above: no collector may write one of them. */
export const RUN_DIR_OWN_FILES: readonly string[] = [EVENTS_FILE, MANIFEST_FILE, LOG_FILE, LOCK_FILE, CONTROL_SOCKET_FILE, REPORT_FILE, SHIP_CHECKPOINT_FILE, PM2_OUT_LOG, PM2_ERROR_LOG];
