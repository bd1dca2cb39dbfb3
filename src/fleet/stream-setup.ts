// Creates the stream when it is missing, so a fresh cluster needs no setup beyond the servers.
// An existing stream is used as it is: its replicas and retention are the operator's choice.
import type { ShipConfig } from '../config/ship-config';
import { VmtelError } from '../errors';
import type { JetStreamManager } from './nats-client';

const NS_PER_S = 1_000_000_000;
const S_PER_DAY = 86_400;
// JetStream's error codes (nats-server's errors.json): the stream does not exist; another
// creator won the race with the same name.
const STREAM_NOT_FOUND = 10059;
const STREAM_NAME_IN_USE = 10058;

export type StreamSettings = Pick<ShipConfig, 'stream' | 'subjectPrefix' | 'replicas' | 'maxAgeDays' | 'duplicateWindowS'>;

/** True when it created the stream. */
export async function ensureStream(jsm: JetStreamManager, settings: StreamSettings): Promise<boolean> {
  try {
    const { config } = await jsm.streams.info(settings.stream);
    const subjects = config.subjects ?? [];
    if (!subjects.some((subject) => coversPrefix(subject, settings.subjectPrefix))) {
      throw new VmtelError(
        'VMTEL_SHIP_REFUSED',
        `stream ${settings.stream} exists but does not take subjects ${settings.subjectPrefix}.> (it takes ${subjects.join(', ') || 'none'}); fix subject_prefix or the stream`,
      );
    }
    return false;
  } catch (err) {
    if (apiCode(err) !== STREAM_NOT_FOUND) throw err;
  }
  const lib = require('@nats-io/jetstream') as typeof import('@nats-io/jetstream');
  try {
    await jsm.streams.add({
      name: settings.stream,
      subjects: [`${settings.subjectPrefix}.>`],
      storage: lib.StorageType.File,
      retention: lib.RetentionPolicy.Limits,
      discard: lib.DiscardPolicy.Old,
      num_replicas: settings.replicas,
      max_age: settings.maxAgeDays * S_PER_DAY * NS_PER_S,
      duplicate_window: settings.duplicateWindowS * NS_PER_S,
    });
    return true;
  } catch (err) {
    if (apiCode(err) === STREAM_NAME_IN_USE) return false;
    throw err;
  }
}

/** Whether a stream subject (wildcards allowed) takes every subject under `prefix`. */
export function coversPrefix(streamSubject: string, prefix: string): boolean {
  const wanted = prefix.split('.');
  const tokens = streamSubject.split('.');
  for (const [index, token] of tokens.entries()) {
    if (token === '>') return true;
    if (index >= wanted.length || (token !== '*' && token !== wanted[index])) return false;
  }
  // A subject without '>' takes subjects of exactly its length, never all of `prefix.>`.
  return false;
}

/** JetStream's error code of an API failure, or undefined for any other error. */
export function apiCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}
