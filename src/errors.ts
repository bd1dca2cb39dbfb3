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
} as const;

export const ERROR_CODES = {
  VMTEL_CONFIG_INVALID: 'the config file has one or more problems; each is listed with its line',
  VMTEL_CONFIG_UNREADABLE: 'the config file could not be read',
  VMTEL_USAGE: 'the command line is wrong (unknown option, missing argument)',
  VMTEL_RUN_DIR_BUSY: 'another live vmtel process holds the run directory',
  VMTEL_RUN_DIR_MISMATCH: 'the run directory holds a different vm or episode',
  VMTEL_MODULE_INVALID: "a `module:` collector does not export a collector definition",
  VMTEL_COLLECTOR_FAILED: 'a collector threw; the message says why',
  VMTEL_SOURCE_UNREACHABLE: "a collector could not reach its source (QEMU's QMP socket, say) within connect_timeout_s",
  VMTEL_WORKER_EXITED: 'a collector worker exited without saying it stopped or failed',
  VMTEL_WORKER_UNRESPONSIVE: 'a collector worker did not stop within stop_grace_ms and was terminated',
  VMTEL_NOT_A_RUN_DIR: "a path given to `vmtel export` or `vmtel sql` is not an episode's run dir (no readable episode.json)",
  VMTEL_OUTPUT_UNWRITABLE: "`vmtel export`'s --out folder cannot be created or written, or is not empty",
  VMTEL_QUERY_FAILED: "DuckDB refused the query given to `vmtel sql`; its message says why",
  VMTEL_INTERNAL: 'a bug in vmtel itself; the log file holds the stack',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Which exit code each error code leads to when it ends the process. */
export function exitCodeFor(code: ErrorCode): number {
  return code === 'VMTEL_CONFIG_INVALID' ||
    code === 'VMTEL_CONFIG_UNREADABLE' ||
    code === 'VMTEL_USAGE' ||
    code === 'VMTEL_RUN_DIR_MISMATCH' ||
    code === 'VMTEL_MODULE_INVALID' ||
    code === 'VMTEL_NOT_A_RUN_DIR' ||
    code === 'VMTEL_OUTPUT_UNWRITABLE' ||
    code === 'VMTEL_QUERY_FAILED'
    ? EXIT_CODES.config
    : EXIT_CODES.runtime;
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
