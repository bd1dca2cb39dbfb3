// Connecting to a socket QEMU may not have bound yet: the retry schedules, attempts numbered as
// they are made, a socket that appears between attempts, the give-up bound, and nothing left
// listening on the stop signal or the socket once the call has returned.
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { connectWithRetry, type RetryPolicy } from '../../../src/collectors/unix-client/connect-with-retry';
import { firstConnectPolicy, reconnectPolicy } from '../../../src/collectors/unix-client/retry-policies';
import { tempDir } from '../../helpers/temp-dir';
import { withDeadline } from '../../helpers/wait-for';

const readTarget = () => ({ buffer: Buffer.alloc(1024), onRead: () => undefined });

function listen(t: TestContext, path: string): Server {
  const server = createServer((socket) => socket.on('error', () => undefined));
  server.listen(path);
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return server;
}

test('the first connection tries at once, then every 500 ms, until connect_timeout_s', () => {
  const policy = firstConnectPolicy(2.5);
  assert.deepEqual([0, 1, 2, 9].map((attempt) => policy.delayMs(attempt)), [0, 500, 500, 500]);
  assert.equal(policy.giveUpAfterMs, 2500);
});

test('reconnecting backs off from 500 ms to 4 s, quiet connections counting as failed attempts', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 9].map((attempt) => reconnectPolicy(0).delayMs(attempt)), [0, 500, 1000, 2000, 4000, 4000, 4000]);
  assert.deepEqual([0, 1].map((attempt) => reconnectPolicy(2).delayMs(attempt)), [1000, 2000]);
  assert.equal(reconnectPolicy(0).giveUpAfterMs, Infinity);
});

test('a socket that appears between attempts is connected; failures are numbered from 1; no listener is left behind', async (t) => {
  const path = join(tempDir(t), 's.sock');
  const failures: Array<[number, string]> = [];
  const stop = new AbortController();
  const policy: RetryPolicy = { delayMs: (attempt) => (attempt === 0 ? 0 : 50), giveUpAfterMs: 10_000 };
  const outcome = await withDeadline(
    'the socket to be connected',
    connectWithRetry(path, policy, stop.signal, readTarget(), (attempt, error) => {
      failures.push([attempt, error]);
      // QEMU binds its socket after vmtel's second attempt.
      if (attempt === 2) listen(t, path);
    }),
  );
  assert.equal(outcome.kind, 'connected');
  assert.equal(outcome.attempts, 3);
  assert.deepEqual(failures, [
    [1, 'ENOENT'],
    [2, 'ENOENT'],
  ]);
  assert.equal(getEventListeners(stop.signal, 'abort').length, 0, 'no abort listener left on the stop signal');
  assert.equal(outcome.kind === 'connected' && outcome.socket.listenerCount('error'), 0, 'no error listener left on the socket');
  if (outcome.kind === 'connected') outcome.socket.destroy();
});

test('attempts stop at giveUpAfterMs, the last wait cut to fit it, with the last error and no listener left', async (t) => {
  const path = join(tempDir(t), 'never.sock');
  const stop = new AbortController();
  // The second retry's delay is far longer than what is left of the bound: its wait is cut to
  // the 500 ms left, not to the bound itself.
  const policy: RetryPolicy = { delayMs: (attempt) => [0, 1500][attempt] ?? 60_000, giveUpAfterMs: 2000 };
  const failures: number[] = [];
  const startedMs = performance.now();
  const outcome = await withDeadline('the retries to give up', connectWithRetry(path, policy, stop.signal, readTarget(), (attempt) => failures.push(attempt)), 10_000);
  const tookMs = performance.now() - startedMs;
  assert.ok(tookMs < 3500, `gave up after ${tookMs} ms: the last wait was not cut to the 500 ms left`);
  assert.equal(outcome.kind, 'timed_out');
  assert.equal(outcome.kind === 'timed_out' && outcome.lastError, 'ENOENT');
  // Three attempts, or four when the cut wait's timer, on the loop's millisecond clock, fired a
  // fraction of a millisecond before the bound.
  assert.ok([3, 4].includes(outcome.attempts), `${outcome.attempts} attempts`);
  assert.deepEqual(failures, Array.from({ length: outcome.attempts }, (_, i) => i + 1));
  assert.equal(getEventListeners(stop.signal, 'abort').length, 0, 'no abort listener left on the stop signal');
});

test('the first attempt is made even with no time to retry', async (t) => {
  const path = join(tempDir(t), 's.sock');
  listen(t, path);
  const outcome = await connectWithRetry(path, { delayMs: () => 0, giveUpAfterMs: 0 }, new AbortController().signal, readTarget(), () => undefined);
  assert.equal(outcome.kind, 'connected');
  assert.equal(outcome.attempts, 1);
  if (outcome.kind === 'connected') outcome.socket.destroy();
});
