import assert from 'node:assert/strict';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { test } from 'node:test';
import { reportError } from '../../src/cli/report-error';
import { EXIT_CODES } from '../../src/errors';

// What reportError writes to stderr, and the exit code it sets, for one error; both restored after.
function reported(err: unknown): { stderr: string; exitCode: number | string | undefined } {
  const write = process.stderr.write;
  const exitCodeBefore = process.exitCode;
  let stderr = '';
  process.stderr.write = ((chunk: string) => ((stderr += chunk), true)) as typeof process.stderr.write;
  try {
    reportError(err);
    return { stderr, exitCode: process.exitCode };
  } finally {
    process.stderr.write = write;
    process.exitCode = exitCodeBefore;
  }
}

test('a bug is one line on the terminal; its stack is in a file only this user can read, named on the line', (t) => {
  const bug = new TypeError('cannot read properties of undefined');
  const { stderr, exitCode } = reported(bug);
  const match = /^vmtel: internal error: cannot read properties of undefined \(stack in (\/\S+\/stack\.txt)\) \[VMTEL_INTERNAL\]\n$/.exec(stderr);
  assert.ok(match, stderr);
  const path = match[1]!;
  t.after(() => rmSync(dirname(path), { recursive: true, force: true }));
  assert.equal(readFileSync(path, 'utf8'), `${bug.stack!}\n`);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.equal(statSync(dirname(path)).mode & 0o777, 0o700);
  assert.equal(exitCode, EXIT_CODES.runtime);
});

test('something thrown that is not an Error: one line, no stack file', () => {
  assert.equal(reported('a string').stderr, 'vmtel: internal error: a string [VMTEL_INTERNAL]\n');
});
