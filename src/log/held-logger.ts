// `vmtel run`'s logger while its collectors start. Loading winston and creating its transports
// costs the main thread about 30 ms of CPU, and on a small machine the workers booting at the
// same moment need every core: lines logged until the episode says its collectors have started
// are held, each with the time it was logged, and written in order, stamped with that time, once
// winston has loaded. Nothing is lost: anything else asked of the logger (closing it, say)
// releases it first.
import type { LogEntry } from 'winston';
import { LOG_LEVELS } from '../collectors/contract';
import type { Logger, LoggerOptions } from './logger';
import { LOGGED_AT } from './logged-at';

export interface HeldLogger {
  logger: Logger;
  /** Creates the real logger and writes the held lines; later lines are written as they come. */
  release(): void;
}

type Fields = Record<string | symbol, unknown>;

const LEVEL_METHODS: ReadonlySet<string> = new Set(LOG_LEVELS);

// The call forms vmtel uses, turned into the line winston would make of them: (message) and
// (message, fields) for a level method, (line) for log(). Any other form is left to winston.
function lineOf(level: string | undefined, args: unknown[]): LogEntry | null {
  const [first, fields] = args;
  if (level === undefined) {
    if (args.length !== 1 || !isPlainObject(first)) return null;
    const { level: lineLevel, message } = first;
    return typeof lineLevel === 'string' && typeof message === 'string' ? { ...first, level: lineLevel, message } : null;
  }
  if (typeof first !== 'string' || args.length > 2) return null;
  if (fields === undefined) return { level, message: first };
  // winston joins a `message` field to the message; such a call goes to winston itself.
  return isPlainObject(fields) && !('message' in fields) ? { ...fields, level, message: first } : null;
}

// An object literal's fields spread as winston would take them; an Error's message and stack are
// not enumerable, so an Error (or any other class) goes to winston itself.
function isPlainObject(value: unknown): value is Fields {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** A logger whose lines are held, and winston not loaded, until release(). */
export function createHeldLogger(options: LoggerOptions): HeldLogger {
  let real: Logger | undefined;
  const held: LogEntry[] = [];
  const release = (): Logger => {
    if (real === undefined) {
      // A literal require() inside the function: winston loads here, in the compiled tree and in
      // the bundle alike.
      real = (require('./logger') as typeof import('./logger')).createLogger(options);
      for (const line of held.splice(0)) real.log(line);
    }
    return real;
  };
  const logger: Logger = new Proxy({} as Logger, {
    get(_target, key) {
      const level = typeof key === 'string' && LEVEL_METHODS.has(key) ? key : undefined;
      if (real === undefined && (level !== undefined || key === 'log')) {
        return (...args: unknown[]) => {
          const line = lineOf(level, args);
          if (line === null) {
            const target = release();
            return (Reflect.get(target, key, target) as (...a: unknown[]) => Logger).apply(target, args);
          }
          held.push({ ...line, [LOGGED_AT]: new Date() });
          return logger;
        };
      }
      const target = release();
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { logger, release: () => void release() };
}
