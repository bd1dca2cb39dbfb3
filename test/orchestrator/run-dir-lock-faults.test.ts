// The lock against answers of the host that a test cannot arrange with files alone: a run dir on
// a file system without hard links (link(2) fails with EPERM, as on vfat), and a lock whose holder
// lets it go between the start's failed link and its read of the lock (open(2) finds no file).
// strace gives the lock-taking process those answers from the kernel's side (its fault
// injection), so the code under test runs unchanged.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { runUnderStrace } from '../helpers/strace';
import { tempDir } from '../helpers/temp-dir';

const TAKE_LOCK = join(__dirname, '..', 'fixtures', 'orchestrator', 'take-lock.js');

interface Outcome {
  held?: boolean;
  lock?: string;
  error?: string;
}

// Runs the lock-taking fixture on `runDir` under `strace` with `straceArgs`; its one JSON line.
async function takeLockUnder(t: TestContext, runDir: string, straceArgs: string[]): Promise<Outcome> {
  return JSON.parse(await runUnderStrace(t, straceArgs, TAKE_LOCK, [runDir])) as Outcome;
}

test('on a file system without hard links the start fails with link(2)\'s error at once, and leaves nothing behind', async (t) => {
  const runDir = tempDir(t);
  const outcome = await takeLockUnder(t, runDir, ['-e', 'trace=link,linkat', '-e', 'inject=link,linkat:error=EPERM']);
  assert.deepEqual(outcome, { error: 'EPERM' });
  assert.deepEqual(readdirSync(runDir), [], 'the pid file written for the link is removed');
});

test('a lock that vanishes between the failed link and its read (its holder let it go) is taken on the next try', async (t) => {
  const runDir = tempDir(t);
  const lockPath = join(runDir, 'vmtel.lock');
  // A lock no live process holds: the start's link fails (EEXIST), then its read of the lock is
  // told there is no such file, as if the holder had just removed it.
  writeFileSync(lockPath, '999999999\n');
  const outcome = await takeLockUnder(t, runDir, ['-P', lockPath, '-e', 'trace=openat', '-e', 'inject=openat:error=ENOENT:when=1']);
  assert.equal(outcome.error, undefined, `the start failed with ${outcome.error}`);
  assert.equal(outcome.held, true);
  assert.match(outcome.lock!, /^\d+\n$/);
  assert.notEqual(outcome.lock, '999999999\n', 'the lock names the start that took it');
  assert.deepEqual(readdirSync(runDir), [], 'the lock is released and no pid or take-over file is left');
  assert.throws(() => readFileSync(lockPath), { code: 'ENOENT' });
});
