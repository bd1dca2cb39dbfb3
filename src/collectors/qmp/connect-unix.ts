// One attempt to connect to a unix socket that QEMU may not have created yet. Kept apart from the
// retry policy so the first connection (fixed pace, deadline) and a reconnection (backoff, no
// deadline) share the attempt and differ only in how long they wait between attempts.
import { createConnection, type Socket } from 'node:net';

/** The connected socket; rejects with the errno error (ENOENT, ECONNREFUSED) or on abort. */
export function connectUnix(path: string, signal: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ path });
    const abort = (): void => {
      socket.destroy();
      reject(signal.reason as Error);
    };
    if (signal.aborted) return abort();
    signal.addEventListener('abort', abort, { once: true });
    socket.once('connect', () => {
      signal.removeEventListener('abort', abort);
      resolve(socket);
    });
    socket.once('error', (err) => {
      signal.removeEventListener('abort', abort);
      socket.destroy();
      reject(err);
    });
  });
}
