// Tests wait for the state they mean, under a deadline whose message says what they waited for;
// never a bare sleep. The timer is ref'd on purpose: an unref'd one (AbortSignal.timeout) lets
// the runner cancel the test instead of failing it with this message.
import { setTimeout as delay } from 'node:timers/promises';

const POLL_MS = 10;

/**
 * Polls `probe` every `pollMs` until it returns a value other than undefined/false, or fails after
 * `timeoutMs`. (A benchmark polls slowly so that its probing does not compete for CPU with what it
 * measures.)
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 5000,
  pollMs = POLL_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = null;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      lastError = null;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const detail = lastError === null ? '' : ` (last error: ${(lastError as Error).message})`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
    }
    await delay(pollMs);
  }
}

/** Resolves with `promise`'s value, or fails naming `what` once `timeoutMs` has passed. */
export async function withDeadline<T>(what: string, promise: Promise<T>, timeoutMs = 5000): Promise<T> {
  const timer = new AbortController();
  try {
    return await Promise.race([
      promise,
      delay(timeoutMs, undefined, { signal: timer.signal }).then(() => {
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      }),
    ]);
  } finally {
    timer.abort();
  }
}
