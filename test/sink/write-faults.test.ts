// What a writer reports while its writes fail, step by step on mocked timers: one write_failed,
// retries backing off from 100 ms to 5 s, the hold bound inclusive, drops counted into the
// recovery, and no retry once closed. (The full disk itself, on a real tmpfs, is in
// jsonl-writer-faults.test.ts; these are the figures those events carry.)
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { WRITE_FAILED, WriteFaults, type WriteFault } from '../../src/sink/write-faults';

const PATH = '/run/x/telemetry-guest.jsonl';
const ENOSPC = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

// A WriteFaults whose retries are counted (and fail, as the writer's would, until `succeed`).
function faultsUnderTest(t: TestContext, maxHeldChars = 100) {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const events: WriteFault[] = [];
  let retries = 0;
  const faults: WriteFaults = new WriteFaults(PATH, maxHeldChars, (fault) => events.push(fault), () => {
    retries += 1;
    faults.failed(ENOSPC, 3);
    return false;
  });
  return { faults, events, retries: () => retries };
}

test('the drop reason is the documented write_failed', () => {
  assert.equal(WRITE_FAILED, 'write_failed');
});

test('one write_failed for an outage, whatever the retries; retries back off 100, 200, 400 ms ... to 5 s', (t) => {
  const { faults, events, retries } = faultsUnderTest(t);
  faults.failed(ENOSPC, 3);
  assert.deepEqual(events, [{ kind: 'write_failed', file: PATH, code: 'ENOSPC', error: ENOSPC.message, held_rows: 3 }]);
  assert.equal(faults.failing, true);
  const schedule = [100, 200, 400, 800, 1600, 3200, 5000, 5000];
  for (const [i, waitMs] of schedule.entries()) {
    t.mock.timers.tick(waitMs - 1);
    assert.equal(retries(), i, `no retry ${i + 1} before ${waitMs} ms`);
    t.mock.timers.tick(1);
    assert.equal(retries(), i + 1, `retry ${i + 1} after ${waitMs} ms`);
  }
  assert.equal(events.length, 1, 'failed retries add no event');
});

test('the recovery counts the retries that failed plus the one that got through, and the rows dropped meanwhile', (t) => {
  const { faults, events } = faultsUnderTest(t, 100);
  const startedMs = performance.now();
  faults.failed(ENOSPC, 3);
  t.mock.timers.tick(100);
  t.mock.timers.tick(200);
  assert.equal(faults.mayHold(100, 1), true, 'the bound itself may be held');
  assert.equal(faults.mayHold(101, 2), false);
  assert.equal(faults.mayHold(150, 4), false);
  faults.recovered(7);
  const tookMs = performance.now() - startedMs;
  assert.equal(faults.failing, false);
  const recovered = events.at(-1)!;
  assert.ok(recovered.kind === 'write_recovered');
  const { failed_ms: failedMs, ...counts } = recovered;
  assert.deepEqual(counts, { kind: 'write_recovered', file: PATH, retries: 3, written_rows: 7, dropped_rows: 6 });
  // Real time (performance.now), not the mocked timers'.
  assert.ok(failedMs >= 0 && failedMs <= Math.ceil(tookMs), `failed_ms ${failedMs}, the outage took ${tookMs} ms`);
  assert.deepEqual(
    events.filter((e) => e.kind === 'rows_dropped'),
    [
      { kind: 'rows_dropped', file: PATH, rows: 2 },
      { kind: 'rows_dropped', file: PATH, rows: 4 },
    ],
  );
});

test('a second outage starts its counts and backoff afresh', (t) => {
  const { faults, events, retries } = faultsUnderTest(t);
  faults.failed(ENOSPC, 3);
  t.mock.timers.tick(100 + 200);
  faults.mayHold(500, 5);
  faults.recovered(3);
  faults.failed(Object.assign(new Error('EROFS'), { code: 'EROFS' }), 1);
  assert.equal(events.filter((e) => e.kind === 'write_failed').length, 2);
  const before = retries();
  t.mock.timers.tick(100);
  assert.equal(retries(), before + 1, 'the first retry of the new outage comes after 100 ms again');
  faults.recovered(1);
  const last = events.at(-1)!;
  assert.ok(last.kind === 'write_recovered');
  assert.equal(last.retries, 2);
  assert.equal(last.dropped_rows, 0);
});

test('an error without a code is reported as EIO', (t) => {
  const { faults, events } = faultsUnderTest(t);
  faults.failed(new Error('the device went away'), 1);
  assert.deepEqual(events, [{ kind: 'write_failed', file: PATH, code: 'EIO', error: 'the device went away', held_rows: 1 }]);
});

test('closing stops the retries; rows held at close are dropped, none when none are held', (t) => {
  const { faults, events, retries } = faultsUnderTest(t);
  faults.failed(ENOSPC, 3);
  faults.dropHeld(0);
  faults.dropHeld(3);
  faults.close();
  t.mock.timers.tick(60_000);
  assert.equal(retries(), 0);
  assert.deepEqual(events.slice(1), [{ kind: 'rows_dropped', file: PATH, rows: 3 }]);
});
