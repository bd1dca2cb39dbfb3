// What a lock file's text means to the lock, and a take-over that another start is stuck in: a
// lock names a holder only when it holds one pid and nothing else, a lock naming this very
// process (a pid reused after a crash) is taken over, and a start waits a while for another's
// take-over before it gives up as busy, naming that one.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { VmtelError } from '../../src/errors';
import { RunDirLock } from '../../src/orchestrator/run-dir-lock';
import { tempDir } from '../helpers/temp-dir';
import { fillDisk, mountTmpfs, MOUNT_SKIP_REASON } from '../helpers/tmpfs';
import { withDeadline } from '../helpers/wait-for';

// A live process that is not this one: the test runner that started this file.
const LIVE_PID = process.ppid;
// How long a start waits for another's take-over (run-dir-lock.ts, TAKEOVER_WAIT_MS).
const TAKEOVER_WAIT_MS = 5000;

function busyMessage(runDir: string, holder: number): string {
  return `run directory ${runDir} is in use by vmtel process ${holder}`;
}

function assertBusy(runDir: string, holder: number): void {
  assert.throws(
    () => RunDirLock.acquire(runDir),
    (err: unknown) => err instanceof VmtelError && err.code === 'VMTEL_RUN_DIR_BUSY' && err.message === busyMessage(runDir, holder),
  );
}

function assertTakenOver(t: TestContext, runDir: string): void {
  const lock = RunDirLock.acquire(runDir);
  t.after(() => lock.release());
  assert.equal(readFileSync(join(runDir, 'vmtel.lock'), 'utf8'), `${process.pid}\n`);
  assert.deepEqual(readdirSync(runDir), ['vmtel.lock']);
}

const texts: { text: string; names: string }[] = [
  { text: `${LIVE_PID}`, names: 'the live holder (no newline needed)' },
  { text: `  ${LIVE_PID}\n\n`, names: 'the live holder (blanks around it)' },
  { text: `x${LIVE_PID}\n`, names: 'no holder (text before the pid)' },
  { text: `${LIVE_PID} x\n`, names: 'no holder (text after the pid)' },
  { text: `${LIVE_PID}\n${LIVE_PID}\n`, names: 'no holder (two pids)' },
  { text: '', names: 'no holder (empty)' },
];

for (const { text, names } of texts) {
  test(`a lock file holding ${JSON.stringify(text)} names ${names}`, (t) => {
    const runDir = tempDir(t);
    writeFileSync(join(runDir, 'vmtel.lock'), text);
    if (names.startsWith('the live holder')) {
      assertBusy(runDir, LIVE_PID);
      assert.equal(readFileSync(join(runDir, 'vmtel.lock'), 'utf8'), text, 'a live holder keeps its lock');
    } else {
      assertTakenOver(t, runDir);
    }
  });
}

test('a lock naming this very process (its pid reused after a crash) is taken over, not refused as busy', (t) => {
  const runDir = tempDir(t);
  writeFileSync(join(runDir, 'vmtel.lock'), `${process.pid}\n`);
  assertTakenOver(t, runDir);
});

// Voluntary context switches of this process's main thread (the thread the lock runs on): one
// each time it sleeps.
function sleepsOfMainThread(): number {
  const status = readFileSync(`/proc/self/task/${process.pid}/status`, 'utf8');
  return Number(/^voluntary_ctxt_switches:\s+(\d+)$/m.exec(status)![1]);
}

test("a take-over another live start is stuck in is waited for, sleeping between looks, then refused as busy naming that start", async (t) => {
  const runDir = tempDir(t);
  const gone = spawn(process.execPath, ['-e', '0']);
  await withDeadline('a short-lived process to exit', once(gone, 'exit'), 10_000);
  writeFileSync(join(runDir, 'vmtel.lock'), `${gone.pid}\n`);
  // The dead holder's take-over lock, held by a live process that never finishes its take-over.
  writeFileSync(join(runDir, `vmtel.lock.takeover-${gone.pid}`), `${LIVE_PID}\n`);
  const startedMs = Date.now();
  const sleptBefore = sleepsOfMainThread();
  assertBusy(runDir, LIVE_PID);
  const slept = sleepsOfMainThread() - sleptBefore;
  const waitedMs = Date.now() - startedMs;
  assert.ok(waitedMs >= TAKEOVER_WAIT_MS - 1, `gave up after ${waitedMs} ms, before the take-over had ${TAKEOVER_WAIT_MS} ms`);
  // It looks every 2 ms and sleeps in between (about 1,500 sleeps here when quiet); a loop that
  // spun instead would hold a core for the whole wait and sleep a handful of times at most. At
  // least one sleep per 50 ms holds on a host loaded enough to make each look slow.
  assert.ok(slept >= TAKEOVER_WAIT_MS / 50, `the wait slept ${slept} times in ${waitedMs} ms`);
  assert.deepEqual(readdirSync(runDir).sort(), ['vmtel.lock', `vmtel.lock.takeover-${gone.pid}`], 'nothing of the refused start is left');
  assert.equal(readFileSync(join(runDir, 'vmtel.lock'), 'utf8'), `${gone.pid}\n`);
});

test('a lock that is a link is refused as unsafe, never read through nor taken for absent', (t) => {
  const runDir = tempDir(t);
  writeFileSync(join(runDir, 'elsewhere'), `${LIVE_PID}\n`);
  symlinkSync(join(runDir, 'elsewhere'), join(runDir, 'vmtel.lock'));
  assert.throws(
    () => RunDirLock.acquire(runDir),
    (err: unknown) => err instanceof VmtelError && err.code === 'VMTEL_RUN_DIR_UNSAFE',
  );
  assert.deepEqual(readdirSync(runDir).sort(), ['elsewhere', 'vmtel.lock']);
  assert.equal(readFileSync(join(runDir, 'elsewhere'), 'utf8'), `${LIVE_PID}\n`);
});

test('taking, refusing and releasing the lock leave no file descriptor open', (t) => {
  const openFds = (): number => readdirSync('/proc/self/fd').length;
  const runDir = tempDir(t);
  const before = openFds();
  RunDirLock.acquire(runDir).release();
  writeFileSync(join(runDir, 'vmtel.lock'), `${LIVE_PID}\n`);
  assertBusy(runDir, LIVE_PID);
  assert.equal(openFds(), before);
});

test('on a full disk the lock is refused with the write error, and no empty lock is left behind', { skip: MOUNT_SKIP_REASON ?? false }, (t) => {
  const runDir = mountTmpfs(t, 64 * 1024);
  const filler = fillDisk(runDir);
  // The pid file is created (an inode is free), its pid cannot be written (no block is).
  assert.throws(() => RunDirLock.acquire(runDir), (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOSPC');
  assert.deepEqual(readdirSync(runDir), [filler.slice(runDir.length + 1)]);
});
