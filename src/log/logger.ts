// vmtel's log: human-readable lines on stderr at the chosen level, and every line (collectors'
// included, each tagged with its source) as JSON in RUN_DIR/vmtel.log. Logs are for people;
// the data (telemetry files, events.jsonl) never depends on them.
import { join } from 'node:path';
import { Writable } from 'node:stream';
import winston from 'winston';
import { LOG_LEVELS, type LogLevel } from '../collectors/contract';
import { LOG_FILE } from '../run-dir-files';
import { JsonlWriter } from '../sink/jsonl-writer';
import { LOGGED_AT } from './logged-at';

export type Logger = winston.Logger;

export interface LoggerOptions {
  level: LogLevel;
  /** When set, everything is also written as JSON lines to RUN_DIR/vmtel.log. */
  runDir?: string;
  /** False keeps the terminal quiet (in-process tests); the log file is written regardless. */
  terminal?: boolean;
  /** Mode of vmtel.log when it is created. */
  fileMode?: number;
}

// vmtel.log is one of the run dir's files: opened like every other (never through a link, see
// own-file.ts) and written by the JSONL writer, so a full or read-only disk holds, retries or
// counts its lines instead of raising an 'error' nobody handles (winston's file stream did, and
// the process died of it). Each line is written at once (flushMs 0): a log line is for a person
// reading now. The file is closed when the logger ends.
function logFileStream(path: string, fileMode: number | undefined): Writable {
  const writer = new JsonlWriter(path, { flushMs: 0, ...(fileMode === undefined ? {} : { fileMode }) });
  return new Writable({
    decodeStrings: false,
    write(line: string, _encoding, done) {
      writer.write(line);
      done();
    },
    final(done) {
      writer.close();
      done();
    },
  });
}

// Log text can carry what a hostile guest sent; control characters in it could drive the
// operator's terminal, so any text holding one is printed JSON-escaped instead.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/** A value as terminal-safe text. */
export function printable(value: unknown): string {
  if (typeof value === 'string') return CONTROL_CHARACTER.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value, bigintReplacer) ?? String(value);
}

const consoleFormat = winston.format.printf((info) => {
  const { level, message, source, timestamp, ...rest } = info as Record<string, unknown>;
  delete rest['stack'];
  const fields = Object.entries(rest)
    .map(([key, value]) => `${key}=${printable(value)}`)
    .join(' ');
  return `${clockTime(new Date(String(timestamp)))} ${String(level)} [${printable(source)}] ${printable(message)}${fields === '' ? '' : ` ${fields}`}`;
});

// A line without a source is the orchestrator's. (winston's defaultMeta would overwrite the
// source a collector's line carries, so the default is filled in here instead.)
const orchestratorByDefault = winston.format((info) => {
  info['source'] ??= 'orchestrator';
  return info;
});

// The time a line was logged, as ISO 8601 (the log file's form): now, or the time a held line
// carries (held-logger.ts).
const stampedWhenLogged = winston.format((info) => {
  const loggedAt = info[LOGGED_AT] as Date | undefined;
  info['timestamp'] = (loggedAt ?? new Date()).toISOString();
  return info;
});

// Local time of day to the millisecond, as the terminal shows it.
function clockTime(date: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

function bigintReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

export function createLogger(options: LoggerOptions): Logger {
  const transports: winston.transport[] = [
    new winston.transports.Console({
      level: options.level,
      silent: options.terminal === false,
      // Every level to stderr: stdout is left to commands that print results (validate).
      stderrLevels: [...LOG_LEVELS],
      format: consoleFormat,
    }),
  ];
  let unopened: Error | undefined;
  if (options.runDir !== undefined) {
    const path = join(options.runDir, LOG_FILE);
    try {
      transports.push(logFileTransport(path, options.fileMode));
    } catch (err) {
      // The log is for people and the data never depends on it: a log file that cannot be
      // opened (the run dir went read-only) leaves the terminal, said once on it.
      unopened = err as Error;
    }
  }
  const logger = winston.createLogger({ level: 'debug', format: winston.format.combine(orchestratorByDefault(), stampedWhenLogged()), transports });
  if (unopened !== undefined) logger.warn(`cannot open the log file (${unopened.message}); logging to the terminal only`);
  return logger;
}

function logFileTransport(path: string, fileMode: number | undefined): winston.transport {
  const stream = logFileStream(path, fileMode);
  const file = new winston.transports.Stream({
    stream,
    level: 'debug',
    format: winston.format.json({ replacer: bigintReplacer }),
    eol: '\n',
  });
  // Each line is written as it comes, so the transport's end is the file's.
  file.once('finish', () => stream.end());
  return file;
}
