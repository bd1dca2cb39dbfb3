// The one path by which a failure reaches a user: one line per problem, `vmtel: <what> [CODE]`,
// on stderr, with the exit code that tells pm2 whether a restart could help. Stacks never reach
// the terminal: `vmtel run` logs them to the run dir's vmtel.log, and a bug in any command
// (VMTEL_INTERNAL) leaves its stack in a file of its own, named on the line.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, formatProblem } from '../config/config-error';
import { exitCodeFor, EXIT_CODES, VmtelError } from '../errors';

/** Prints `err` for a person and sets process.exitCode (the only place that does). */
export function reportError(err: unknown): void {
  if (err instanceof ConfigError) {
    for (const problem of err.problems) process.stderr.write(`vmtel: ${formatProblem(problem)} [${err.code}]\n`);
    process.exitCode = exitCodeFor(err.code);
  } else if (err instanceof VmtelError) {
    process.stderr.write(`vmtel: ${err.message} [${err.code}]\n`);
    process.exitCode = exitCodeFor(err.code);
  } else {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`vmtel: internal error: ${message}${stackNote(err)} [VMTEL_INTERNAL]\n`);
    process.exitCode = EXIT_CODES.runtime;
  }
}

// The stack of a bug, for its report: written to a new folder only this user can read (mkdtemp:
// an unpredictable name, created 0700), since a command may have no run dir to log into.
function stackNote(err: unknown): string {
  if (!(err instanceof Error) || err.stack === undefined) return '';
  try {
    const path = join(mkdtempSync(join(tmpdir(), 'vmtel-internal-')), 'stack.txt');
    writeFileSync(path, `${err.stack}\n`, { mode: 0o600, flag: 'wx' });
    return ` (stack in ${path})`;
  } catch {
    // No temp dir to write to: the line alone still says what failed.
    return '';
  }
}
