import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../helpers/temp-dir';
import { withDeadline } from '../helpers/wait-for';

const ROOT = join(__dirname, '..', '..', '..');

test('npm test output: one spec line per test, the runner closing counts, then "N passed, N failed" alone last', async (t) => {
  const tap = join(tempDir(t), 'results.tap');
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'run-tests.js'), 'sink/'], {
    cwd: ROOT,
    // NODE_TEST_CONTEXT, set for this test's own process, would make the inner runner report to us.
    env: { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_TEST_CONTEXT')), VMTEL_TEST_TAP: tap },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => child.kill('SIGKILL'));
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await withDeadline('the test runner to finish', new Promise((resolve) => child.once('exit', resolve)), 60_000);
  assert.equal(code, 0, stdout);
  const lines = stdout.trimEnd().split('\n');
  assert.match(lines.at(-1)!, /^\d+ passed, 0 failed$/);
  const passed = Number(/^(\d+) passed/.exec(lines.at(-1)!)![1]);
  assert.ok(passed >= 2, stdout);
  assert.ok(lines.includes(`ℹ pass ${passed}`), 'the runner’s own closing count is kept');
  assert.ok(!stdout.includes('TAP version'), 'no raw TAP on the terminal');
  assert.match(stdout, /^✔ lines and bytes of a file/m);
  assert.match(readFileSync(tap, 'utf8'), new RegExp(`^# pass ${passed}$`, 'm'), 'the TAP copy holds the same count');
});
