// The four kinds of message QEMU sends on a QMP socket (greeting, success, error, async event),
// told apart once here so the client and the collector reason about kinds, not about JSON shapes.
// Only QEMU writes to this socket, yet a shape check costs little and keeps a bug from crashing.
import type { ExactJson } from '../../sink/exact-json';

export type JsonObject = { [key: string]: ExactJson };

/** QMP's error body: `class` is the stable part (CommandNotFound, GenericError, …). */
export interface QmpError {
  class: string;
  desc: string;
}

/** QEMU's own stamp of an event: host wall clock at microsecond resolution. */
export interface QmpTimestamp {
  seconds: number;
  microseconds: number;
}

export type QmpMessage =
  | { kind: 'greeting'; qmp: JsonObject }
  | { kind: 'return'; id: ExactJson | undefined; value: ExactJson }
  | { kind: 'error'; id: ExactJson | undefined; error: QmpError }
  | { kind: 'event'; event: string; data: ExactJson | undefined; timestamp: QmpTimestamp | null };

/** The kind of one parsed QMP message, or null when it has none of the four shapes. */
export function classifyQmpMessage(value: ExactJson): QmpMessage | null {
  if (!isObject(value)) return null;
  if (isObject(value['QMP'])) return { kind: 'greeting', qmp: value['QMP'] };
  if ('return' in value) return { kind: 'return', id: value['id'], value: value['return'] ?? null };
  const error = value['error'];
  if (isObject(error)) {
    return { kind: 'error', id: value['id'], error: { class: String(error['class']), desc: String(error['desc']) } };
  }
  if (typeof value['event'] === 'string') {
    return { kind: 'event', event: value['event'], data: value['data'], timestamp: timestampOf(value['timestamp']) };
  }
  return null;
}

/** QEMU's event stamp as integer nanoseconds since the epoch, exact. */
export function qemuTimeNs(timestamp: QmpTimestamp): bigint {
  return BigInt(timestamp.seconds) * 1_000_000_000n + BigInt(timestamp.microseconds) * 1000n;
}

export function isObject(value: ExactJson | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function timestampOf(value: ExactJson | undefined): QmpTimestamp | null {
  if (!isObject(value)) return null;
  const { seconds, microseconds } = value;
  if (!Number.isSafeInteger(seconds) || !Number.isSafeInteger(microseconds)) return null;
  return { seconds: seconds as number, microseconds: microseconds as number };
}
