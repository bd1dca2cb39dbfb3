// QEMU is the chardev server, vmtel the client: connecting is retried, because QEMU may not have
// bound the socket yet, or is restarting. Every wait listens to the stop signal, so a stop during
// the retries ends them at once. Reads go straight into one reused buffer (net's `onread`), which
// saves a Buffer allocation and a stream event per read on the hot path.
import { createConnection, type Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

export interface RetryPolicy {
  /** How long to wait before attempt number `attempt` (0 is the first) of this call. */
  delayMs(attempt: number): number;
  /** No attempt starts later than this after the call began (Infinity: until stopped). */
  giveUpAfterMs: number;
}

export type ConnectOutcome =
  | { kind: 'connected'; socket: Socket; attempts: number }
  | { kind: 'timed_out'; attempts: number; lastError: string }
  | { kind: 'stopped'; attempts: number };

export interface ReadTarget {
  /** The reused buffer every read lands in. */
  buffer: Buffer;
  /** Gets each read as a view of `buffer`, valid only until it returns. */
  onRead(chunk: Buffer): void;
}

/**
 * Connects to the unix socket `path`, retrying as `policy` says until it connects or `signal`
 * aborts; `onFailure` hears of each failed attempt (its number from 1, and the error code).
 */
export async function connectWithRetry(
  path: string,
  policy: RetryPolicy,
  signal: AbortSignal,
  target: ReadTarget,
  onFailure: (attempt: number, error: string) => void,
): Promise<ConnectOutcome> {
  const startMs = performance.now();
  let lastError = '';
  for (let attempt = 0; ; attempt++) {
    const elapsedMs = performance.now() - startMs;
    if (attempt > 0 && elapsedMs >= policy.giveUpAfterMs) return { kind: 'timed_out', attempts: attempt, lastError };
    try {
      const waitMs = Math.min(policy.delayMs(attempt), policy.giveUpAfterMs - elapsedMs);
      if (waitMs > 0) await delay(waitMs, undefined, { signal });
      return { kind: 'connected', socket: await connectOnce(path, signal, target), attempts: attempt + 1 };
    } catch (err) {
      if (signal.aborted) return { kind: 'stopped', attempts: attempt };
      lastError = (err as NodeJS.ErrnoException).code ?? String(err);
      onFailure(attempt + 1, lastError);
    }
  }
}

function connectOnce(path: string, signal: AbortSignal, target: ReadTarget): Promise<Socket> {
  return new Promise((resolve, reject) => {
    signal.throwIfAborted();
    const { buffer } = target;
    const socket = createConnection({
      path,
      onread: {
        buffer,
        callback: (bytes) => {
          target.onRead(buffer.subarray(0, bytes));
          return true;
        },
      },
    });
    const abort = (): void => {
      socket.destroy();
      reject(signal.reason);
    };
    const fail = (err: Error): void => {
      signal.removeEventListener('abort', abort);
      socket.destroy();
      reject(err);
    };
    signal.addEventListener('abort', abort, { once: true });
    socket.once('error', fail);
    socket.once('connect', () => {
      signal.removeEventListener('abort', abort);
      socket.removeListener('error', fail);
      resolve(socket);
    });
  });
}
