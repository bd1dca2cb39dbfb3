import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ERROR_CODES, exitCodeFor, type ErrorCode } from '../src/errors';

const DOC = join(__dirname, '..', '..', 'docs', 'errors.md');

// Rows of the code table in docs/errors.md: | `CODE` | exit | meaning |
function documentedCodes(): Map<string, number> {
  const rows = readFileSync(DOC, 'utf8').matchAll(/^\| `(VMTEL_[A-Z_]+)` \| (\d+) \|/gm);
  return new Map([...rows].map((match) => [match[1]!, Number(match[2])]));
}

test('docs/errors.md lists every error code with its exit code, and nothing else', () => {
  const documented = documentedCodes();
  assert.deepEqual([...documented.keys()].sort(), Object.keys(ERROR_CODES).sort());
  for (const [code, exitCode] of documented) assert.equal(exitCode, exitCodeFor(code as ErrorCode), code);
});
