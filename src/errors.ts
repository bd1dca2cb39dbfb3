// Every failure that can reach a user carries a stable code, so scripts and pm2 can react to the
// kind of failure rather than to message text. docs/errors.md lists every code; a test keeps the
// two in sync.

/** Exit codes of the `vmtel` command; pm2's `stop_exit_codes` lists the ones never to restart on. */
export const EXIT_CODES = {
  ok: 0,
  runtime: 1,
  // 2 is the shell's convention for "you called it wrong": a bad config or bad arguments.
  // Restarting cannot fix either, so pm2 is told not to.
  config: 2,
  // The episode ended normally, said with a code of its own for pm2 (`--done-exit-code 3`):
  // pm2 reports a process killed by a signal as exit code 0, so 0 cannot tell pm2 "finished,
  // do not restart" without also hiding a SIGKILL or an OOM kill from its restart logic.
  doneUnderPm2: 3,
  // The run dir was removed or became read-only while the episode ran: it was stopped cleanly,
  // and a restart would start a new timeline in a folder that is not the episode's any more.
  runDirLost: 4,
  // `vmtel mark` / `status` / `tap` found no vmtel recording in the run dir: a driver script can
  // tell "nothing to mark" from a mark that failed.
  notRecording: 5,
  // `vmtel report --fail-on`: the report was written and an episode's verdict is at or past the
  // level named, so a driver can reject the episode without parsing the report.
  verdictRejected: 6,
} as const;

export const ERROR_CODES = {
  VMTEL_CONFIG_INVALID: 'the config file has one or more problems; each is listed with its line',
  VMTEL_CONFIG_UNREADABLE: 'the config file could not be read',
  VMTEL_USAGE: 'the command line is wrong (unknown option, missing argument)',
  VMTEL_RUN_DIR_BUSY: 'another live vmtel process holds the run directory',
  VMTEL_RUN_DIR_MISMATCH: 'the run directory holds a different vm or episode',
  VMTEL_RUN_DIR_INVALID: "the run directory cannot be one: empty, a regular file, under /proc or /sys, or its parent is not a folder (or a collector's output folder does not exist)",
  VMTEL_RUN_DIR_UNSAFE: 'the run directory or a file in it is not the running user\'s own (another owner, writable by others, a link, not a regular file)',
  VMTEL_RUN_DIR_DENIED: 'the run directory or a file in it cannot be created or written: permission denied',
  VMTEL_RUN_DIR_READ_ONLY: 'the run directory is on a read-only file system',
  VMTEL_DISK_FULL: 'the file system of the run directory is full (or the quota is used up) as the episode starts',
  VMTEL_RUN_DIR_LOST: 'the run directory was removed or became read-only while recording; the episode was stopped cleanly',
  VMTEL_MODULE_INVALID: "a `module:` collector does not export a collector definition",
  VMTEL_COLLECTOR_FAILED: 'a collector threw; the message says why',
  VMTEL_SOURCE_UNREACHABLE: "a collector could not reach its source (QEMU's QMP socket, say) within connect_timeout_s",
  VMTEL_WORKER_EXITED: 'a collector worker exited without saying it stopped or failed',
  VMTEL_WORKER_UNRESPONSIVE: 'a collector worker did not stop within stop_grace_ms and was terminated',
  VMTEL_NOT_A_RUN_DIR: 'the path given as a run directory is a file, missing, or a folder without episode.json (summary, report, export, sql)',
  VMTEL_CHECK_FAILED: '`vmtel check` found a problem in the environment (a socket, the pid file, the interface, the run dir); each is listed',
  VMTEL_WORKER_BLOCKED: 'a collector thread did not turn its event loop for unresponsive_after_ms while the episode ran; it was terminated',
  VMTEL_WORKER_OUT_OF_MEMORY: "a collector worker went over its heap limit (max_heap_mb) and was ended",
  VMTEL_EPISODE_FINISHED: 'the run directory holds an episode that already ended; --continue or --new-run-dir',
  VMTEL_CONTROL_SOCKET_UNAVAILABLE: 'RUN_DIR/control.sock cannot be served (something else is at that path)',
  VMTEL_NOT_RECORDING: 'no vmtel is recording in the run directory (no live control socket)',
  VMTEL_CONTROL_NO_REPLY: 'the recording vmtel did not answer a control request in time, or closed without a reply',
  VMTEL_CONTROL_BAD_JSON: 'a control request line is not JSON',
  VMTEL_CONTROL_BAD_REQUEST: 'a control request is not an object, or a field is missing, unknown or of the wrong type or form',
  VMTEL_CONTROL_UNKNOWN_OP: "a control request's op is not mark, status or stop",
  VMTEL_CONTROL_LINE_TOO_LONG: 'a control request line is over 64 KiB; the client is disconnected',
  VMTEL_CONTROL_BUSY: '16 control clients are connected already; the client is disconnected',
  VMTEL_SHIP_UNREACHABLE: 'no NATS server of ship: (or --servers) could be reached, or JetStream did not answer',
  VMTEL_SHIP_REFUSED: 'the NATS server refused the credentials, or denied a subject or API the shipper or archive needs',
  VMTEL_SHIP_INCOMPLETE: 'vmtel ship stopped with part of the run dir not yet acknowledged by the stream',
  VMTEL_SHIPPER_FAILED: 'the shipper worker of vmtel run failed or exited; it is restarted, recording goes on',
  VMTEL_ARCHIVE_BAD_CHUNK: 'vmtel archive received a message that is not a vmtel chunk (unknown subject, missing or wrong headers); it is skipped',
  VMTEL_ARCHIVE_INCOMPLETE: 'vmtel archive --check found files missing or shorter than what the stream says was sent',
  VMTEL_OUTPUT_UNWRITABLE: "`vmtel export`'s --out folder cannot be created or written, or is not empty",
  VMTEL_QUERY_FAILED: "DuckDB refused the query given to `vmtel sql`; its message says why",
  VMTEL_INTERNAL: 'a bug in vmtel itself; the log file holds the stack',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

// Codes whose cause a restart cannot fix (the config, the arguments, the run dir as given):
// they exit 2, which pm2 is told never to restart on.
const CONFIG_EXIT: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'VMTEL_CONFIG_INVALID',
  'VMTEL_CONFIG_UNREADABLE',
  'VMTEL_USAGE',
  'VMTEL_RUN_DIR_MISMATCH',
  'VMTEL_RUN_DIR_INVALID',
  'VMTEL_RUN_DIR_UNSAFE',
  'VMTEL_RUN_DIR_DENIED',
  'VMTEL_RUN_DIR_READ_ONLY',
  'VMTEL_MODULE_INVALID',
  'VMTEL_NOT_A_RUN_DIR',
  'VMTEL_EPISODE_FINISHED',
  'VMTEL_CONTROL_SOCKET_UNAVAILABLE',
  'VMTEL_CONTROL_BAD_JSON',
  'VMTEL_CONTROL_BAD_REQUEST',
  'VMTEL_CONTROL_UNKNOWN_OP',
  'VMTEL_CONTROL_LINE_TOO_LONG',
  'VMTEL_OUTPUT_UNWRITABLE',
  'VMTEL_QUERY_FAILED',
]);

/** Which exit code each error code leads to when it ends the process. */
export function exitCodeFor(code: ErrorCode): number {
  if (code === 'VMTEL_NOT_RECORDING') return EXIT_CODES.notRecording;
  if (code === 'VMTEL_RUN_DIR_LOST') return EXIT_CODES.runDirLost;
  return CONFIG_EXIT.has(code) ? EXIT_CODES.config : EXIT_CODES.runtime;
}

/** The one error class of vmtel: a stable code plus a message that reads as one line. */
export class VmtelError extends Error {
  override readonly name = 'VmtelError';
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** An error as it crosses a thread boundary: postMessage drops `name` and `code`, so flatten. */
export interface SerializedError {
  name: string;
  code: string;
  message: string;
  stack: string;
}

export function serializeError(err: unknown, fallbackCode: ErrorCode): SerializedError {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return {
      name: err.name,
      code: typeof code === 'string' ? code : fallbackCode,
      message: err.message,
      stack: err.stack ?? `${err.name}: ${err.message}`,
    };
  }
  return { name: 'Error', code: fallbackCode, message: String(err), stack: String(err) };
}
