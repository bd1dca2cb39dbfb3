import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { ControlBlock, STOP_STATE } from '../../src/control/control-block';
import { withDeadline } from '../helpers/wait-for';

test('a worker already waiting on the flag is woken when it is raised here, and sees the same origin', async () => {
  const control = ControlBlock.create();
  // waitForChange registers its Atomics wait before its first await, so the worker is waiting by
  // the time it posts its first message: the flag raised after that message reaches it only
  // through Atomics.notify, never through the load that precedes the wait.
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const { ControlBlock } = require(workerData.module);
     const control = ControlBlock.attach(workerData.buffer);
     const woken = control.waitForChange(0);
     parentPort.postMessage({ originNs: control.originNs });
     woken.then((state) => parentPort.postMessage({ state, seenAtNs: process.hrtime.bigint() }));`,
    { eval: true, workerData: { buffer: control.buffer, module: require.resolve('../../src/control/control-block') } },
  );
  try {
    const first = await withDeadline('the worker to start waiting', new Promise((resolve) => worker.once('message', resolve)));
    assert.equal((first as { originNs: bigint }).originNs, control.originNs);
    const raisedAtNs = process.hrtime.bigint();
    control.requestStop();
    const woke = (await withDeadline('the waiting worker to wake on the flag', new Promise((resolve) => worker.once('message', resolve)))) as {
      state: number;
      seenAtNs: bigint;
    };
    assert.equal(woke.state, STOP_STATE.stop);
    assert.ok(woke.seenAtNs - raisedAtNs < 50_000_000n, 'woken within 50 ms');
  } finally {
    await worker.terminate();
  }
});

test('the flag only rises: once stopping, a second request leaves it stopping', () => {
  const control = ControlBlock.create();
  assert.equal(control.isStopping(), false);
  control.requestStop();
  control.requestStop();
  assert.equal(control.isStopping(), true);
  assert.equal(control.stopState(), STOP_STATE.stop);
});

test('a reused origin gives the same t_mono_ns timeline, and wall = anchor + monotonic delta', () => {
  const first = ControlBlock.create();
  const again = ControlBlock.create(first.originNs);
  assert.equal(again.originNs, first.originNs);
  const mono = again.monoNs();
  assert.ok(mono >= 0n);
  assert.equal(again.wallNsAt(mono + 1_000_000n) - again.wallNsAt(mono), 1_000_000n);
  const wallNowNs = BigInt(Date.now()) * 1_000_000n;
  const stampNs = again.wallNsAt(again.monoNs());
  assert.ok(stampNs - wallNowNs < 5_000_000n && wallNowNs - stampNs < 5_000_000n, 'wall stamp within 5 ms of Date.now()');
});

test('waitForChange can be released so a finished thread may exit', async () => {
  const control = ControlBlock.create();
  const release = new AbortController();
  const waiting = control.waitForChange(STOP_STATE.running, release.signal);
  release.abort();
  assert.equal(await withDeadline('the released wait to resolve', waiting, 1000), null);
});

test('heartbeat slots: empty until a beat, then the beat time, seen from another thread; out-of-range slots are ignored', async () => {
  const control = ControlBlock.create(undefined, { heartbeatSlots: 2 });
  assert.equal(control.lastBeatMonoNs(0), null);
  const before = control.monoNs();
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads');
     const { ControlBlock } = require(workerData.module);
     ControlBlock.attach(workerData.buffer).beat(1);`,
    { eval: true, workerData: { module: require.resolve('../../src/control/control-block'), buffer: control.buffer } },
  );
  await once(worker, 'exit');
  const beat = control.lastBeatMonoNs(1);
  assert.ok(beat !== null && beat >= before && beat <= control.monoNs(), `beat at ${beat}`);
  assert.equal(control.lastBeatMonoNs(0), null, 'only its own slot');
  control.beat(5);
  assert.equal(control.lastBeatMonoNs(5), null);
  control.beat(2);
  assert.equal(control.lastBeatMonoNs(2), null, 'the slot just past the last');
});
