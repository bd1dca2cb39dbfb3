// The one path by which a failure reaches a user: one line per problem, `vmtel: <what> [CODE]`,
// on stderr, with the exit code that tells pm2 whether a restart could help. An expected failure
// (a VmtelError) shows no stack; a bug (anything else) shows its stack too, because it may come
// before any log file exists and the stack is what its report needs.
import { ConfigError, formatProblem } from '../config/config-error';
import { exitCodeFor, EXIT_CODES, VmtelError } from '../errors';

/** Prints `err` for a person and sets process.exitCode to its code (each command sets its own on success). */
export function reportError(err: unknown): void {
  if (err instanceof ConfigError) {
    for (const problem of err.problems) process.stderr.write(`vmtel: ${formatProblem(problem)} [${err.code}]\n`);
    process.exitCode = exitCodeFor(err.code);
  } else if (err instanceof VmtelError) {
    process.stderr.write(`vmtel: ${err.message} [${err.code}]\n`);
    process.exitCode = exitCodeFor(err.code);
  } else {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`vmtel: internal error: ${message} [VMTEL_INTERNAL]\n`);
    if (err instanceof Error && err.stack !== undefined) process.stderr.write(`${err.stack}\n`);
    process.exitCode = EXIT_CODES.runtime;
  }
}
