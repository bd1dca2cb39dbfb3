// Who holds the run dir's lock, as the lock sees it: a live holder of another user is alive (kill
// answers EPERM), a refusal names the holder, a release never removes a lock another process
// has since taken, and taking the lock leaves nothing else in the run dir.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { RunDirLock } from '../../src/orchestrator/run-dir-lock';
import { tempDir } from '../helpers/temp-dir';

const LOCK_MODULE = join(__dirname, '..', '..', 'src', 'orchestrator', 'run-dir-lock.js');
// nobody: an unprivileged user, so that signalling pid 1 (root's) fails with EPERM.
const NOBODY = 65534;

test('a lock held by a live process of another user is refused with the holder named, never taken over', (t) => {
  const runDir = tempDir(t);
  chmodSync(runDir, 0o777);
  writeFileSync(join(runDir, 'vmtel.lock'), '1\n');
  // Root may signal any process, so the try runs as nobody (as is when the test is not root),
  // the code loaded first: nobody may not read the folders it lives in. The lock file is the
  // trying user's own (vmtel refuses one of another user's as unsafe); the pid in it is root's.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(join(runDir, 'vmtel.lock'), NOBODY, NOBODY);
  const dropPrivileges = asRoot ? `process.setgid(${NOBODY}); process.setuid(${NOBODY});` : '';
  const tried = spawnSync(
    process.execPath,
    [
      '-e',
      `const { RunDirLock } = require(process.argv[1]); ${dropPrivileges}
       try { RunDirLock.acquire(process.argv[2]); console.log('took'); } catch (err) { console.log(err.code, err.message); }`,
      LOCK_MODULE,
      runDir,
    ],
    { encoding: 'utf8', timeout: 30_000 },
  );
  assert.equal(tried.stderr, '');
  assert.equal(tried.stdout, `VMTEL_RUN_DIR_BUSY run directory ${runDir} is in use by vmtel process 1\n`);
  assert.equal(readFileSync(join(runDir, 'vmtel.lock'), 'utf8'), '1\n');
});

test('taking the lock leaves only the lock file; a release after another process took it over leaves its lock', (t) => {
  const runDir = tempDir(t);
  const lock = RunDirLock.acquire(runDir);
  assert.deepEqual(readdirSync(runDir), ['vmtel.lock']);
  assert.equal(readFileSync(join(runDir, 'vmtel.lock'), 'utf8'), `${process.pid}\n`);
  // Another vmtel took it over (this one was taken for dead): its lock is not ours to remove.
  writeFileSync(join(runDir, 'vmtel.lock'), `${process.ppid}\n`);
  lock.release();
  assert.equal(readFileSync(join(runDir, 'vmtel.lock'), 'utf8'), `${process.ppid}\n`);
});
