// A fresh directory per test under the OS temp dir, removed when the test ends. Its path is
// short, because a unix socket path must fit in 108 bytes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

/** Creates a temp dir removed after `t` (a test or suite context) finishes. */
export function tempDir(t: Pick<TestContext, 'after'>, prefix = 'vt-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
