// When to try connecting again. The first connection retries at a steady pace until
// connect_timeout_s (a VM being started); after a disconnect the episode still runs, so
// reconnecting goes on until the stop flag, backing off so a QEMU that accepts and drops
// connections in a loop costs at most a connection (and its few events) every few seconds.
import type { RetryPolicy } from './connect-with-retry';

// QEMU binds the chardev within a second or two of starting: two tries a second find it soon
// without a busy loop.
const RETRY_INTERVAL_MS = 500;
// Cap on the reconnect backoff: a migrated or restarted VM is picked up within 4 s of coming
// back, and a socket that never returns costs one failed connect(2) every 4 s.
const RECONNECT_MAX_DELAY_MS = 4000;

/** The first connection: attempts every 500 ms for `timeoutS`. */
export function firstConnectPolicy(timeoutS: number): RetryPolicy {
  return { delayMs: (attempt) => (attempt === 0 ? 0 : RETRY_INTERVAL_MS), giveUpAfterMs: timeoutS * 1000 };
}

/**
 * Reconnecting until stopped. `quietConnections` counts the connections in a row that ended
 * without a byte; they count as failed attempts, so a connect-and-drop loop backs off too.
 * After a connection that carried data the first attempt is immediate.
 */
export function reconnectPolicy(quietConnections: number): RetryPolicy {
  return {
    delayMs: (attempt) => {
      const failures = attempt + quietConnections;
      return failures === 0 ? 0 : Math.min(RETRY_INTERVAL_MS * 2 ** (failures - 1), RECONNECT_MAX_DELAY_MS);
    },
    giveUpAfterMs: Infinity,
  };
}
