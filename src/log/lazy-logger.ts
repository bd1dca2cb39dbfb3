// `vmtel run`'s logger, created at its first use rather than when the command starts: loading
// winston costs the main thread about 30 ms, and the episode starts its collectors' workers
// before it logs its first line, so they boot while winston loads instead of after.
import type { Logger, LoggerOptions } from './logger';

/** A Logger that loads winston and creates the real logger when it is first used. */
export function createLazyLogger(options: LoggerOptions): Logger {
  let logger: Logger | undefined;
  // A literal require() inside the function: the module (and winston) load on the first call,
  // in the compiled tree and in the bundle alike.
  const real = (): Logger => (logger ??= (require('./logger') as typeof import('./logger')).createLogger(options));
  return new Proxy({} as Logger, {
    get(_target, key) {
      const target = real();
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
