// Ending a logger without losing its last lines; apart from logger.ts so that `vmtel run` can
// import it without loading winston as it starts (see held-logger.ts).
import type { Logger } from './logger';

/**
 * Resolves when every transport has written what it holds. The logger's own 'finish' can come
 * before the file transport has flushed, so each transport's 'finish' is awaited.
 */
export function closeLogger(logger: Logger): Promise<void> {
  const finished = logger.transports.map(
    (transport) => new Promise<void>((resolve) => transport.once('finish', () => resolve())),
  );
  logger.end();
  return Promise.all(finished).then(() => undefined);
}
