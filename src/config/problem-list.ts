// Gathers every problem of one config file with its line, so the loader keeps checking after the
// first mistake and the user sees them all in one run.
import { ConfigError, type ConfigProblem } from './config-error';
import type { KeyLines } from './key-lines';
import { formatKeyPath, type KeyPath } from './key-path';

export class ProblemList {
  private readonly problems: ConfigProblem[] = [];

  /** `file` is the path as the user gave it, so messages point where they looked. */
  constructor(
    readonly file: string,
    private readonly lines: KeyLines,
  ) {}

  /**
   * A problem about the key at `at` (or its value), placed on that key's line. Only a key's first
   * problem is kept: the rest follow from it (an unset `${NAME}` leaves a value no check accepts).
   */
  add(at: KeyPath, message: string): void {
    const keyPath = formatKeyPath(at);
    if (this.problems.some((problem) => problem.keyPath === keyPath)) return;
    this.problems.push({ file: this.file, line: this.lines.lineOf(at), keyPath, message });
  }

  /** One ConfigError holding every problem so far, in file order. */
  toError(): ConfigError {
    // Problems without a line concern the whole file and come first; the sort is stable.
    return new ConfigError([...this.problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)));
  }

  /** Throws toError() when there is any problem. */
  throwIfAny(): void {
    if (this.problems.length > 0) throw this.toError();
  }
}
