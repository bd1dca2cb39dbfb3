// A config is checked whole and every problem is reported at once, each pointing at its line, so
// a user fixes a file in one pass instead of one error per run.
import { VmtelError } from '../errors';

export interface ConfigProblem {
  file: string;
  /** 1-based; null when the problem has no place in the file (a missing file, say). */
  line: number | null;
  /** Dotted key path, e.g. `collectors.qmp.interval_ms`; empty for the whole file. */
  keyPath: string;
  /** What was expected and what was found. */
  message: string;
}

export class ConfigError extends VmtelError {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super('VMTEL_CONFIG_INVALID', problems.map(formatProblem).join('\n'));
    this.problems = problems;
  }
}

/** `FILE:LINE: key.path: message`, the form every editor and terminal can jump to. */
export function formatProblem(problem: ConfigProblem): string {
  const place = problem.line === null ? problem.file : `${problem.file}:${problem.line}`;
  return problem.keyPath === '' ? `${place}: ${problem.message}` : `${place}: ${problem.keyPath}: ${problem.message}`;
}
