// `vmtel archive`: rebuilds every shipped run dir under DIR, byte for byte, from a durable
// JetStream consumer with explicit acks. A chunk is acked only once it is on disk (written and
// fsynced, or found there already), so a kill at any moment loses nothing and writes nothing
// twice: the consumer redelivers what was not acked and the writer recognises what it has.
import { setTimeout as delay } from 'node:timers/promises';
import type { Consumer, ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import { VmtelError } from '../../errors';
import { readChunkMeta } from '../chunk-message';
import { natsFailure, type NatsSession } from '../nats-client';
import { apiCode } from '../stream-setup';
import { addressOf } from '../subject-token';
import { archivePath } from './archive-place';
import { placeChunk, type Placed } from './archive-writer';

// A gap is retried after this long: the chunk before it is on its way (a redelivery).
const GAP_RETRY_MS = 1000;
// Messages per pull and how long a pull waits for them: a large batch keeps a catch-up bound by
// the disk; a short wait keeps --once prompt once the stream is drained.
const BATCH = 64;
const PULL_WAIT_MS = 1000;
// An unacked chunk is redelivered after this long: well beyond a batch's fsyncs on a slow disk,
// and short, because it is also how long a restarted archive waits for what its killed
// predecessor held unacked (a redelivered chunk it already has is only acked again).
const ACK_WAIT_NS = 10 * 1_000_000_000;
const CONSUMER_NOT_FOUND = 10014;
// While the stream is away (an election, a restart), the archive looks again this often.
const RETRY_MS = 1000;

export interface ArchiveOptions {
  stream: string;
  subjectPrefix: string;
  durable: string;
  intoDir: string;
  /** Return once the consumer has nothing left to deliver. */
  once: boolean;
  signal: AbortSignal;
  say(message: string): void;
}

export type ArchiveCounts = Record<Placed | 'bad', number>;

export async function runArchive(session: NatsSession, options: ArchiveOptions): Promise<ArchiveCounts> {
  const counts: ArchiveCounts = { written: 0, had: 0, gap: 0, bad: 0 };
  let consumer: Consumer | null = null;
  let caughtUp = false;
  while (!options.signal.aborted && !caughtUp) {
    try {
      consumer ??= await openConsumer(session, options);
      caughtUp = await archiveBatch(consumer, counts, options);
    } catch (err) {
      // The stream's leader moving, a server restarting: the archive waits for the stream
      // rather than ending; anything else (the disk, a stream that does not exist) ends it.
      if (!isTransient(err)) throw err instanceof Error && typeof (err as { code?: unknown }).code === 'string' ? err : natsFailure(err, 'archiving');
      options.say(`waiting for the stream: ${(err as Error).message}`);
      await delay(RETRY_MS);
    }
  }
  return counts;
}

// One pull: writes what it brings; true when --once and nothing is left to deliver.
async function archiveBatch(consumer: Consumer, counts: ArchiveCounts, options: ArchiveOptions): Promise<boolean> {
  let delivered = 0;
  const batch: ConsumerMessages = await consumer.fetch({ max_messages: BATCH, expires: PULL_WAIT_MS });
  const stop = (): void => void batch.close();
  options.signal.addEventListener('abort', stop, { once: true });
  try {
    for await (const message of batch) {
      delivered += 1;
      counts[handle(message, options)] += 1;
    }
  } finally {
    options.signal.removeEventListener('abort', stop);
  }
  if (delivered > 0 || !options.once) return false;
  const info = await consumer.info();
  return info.num_pending === 0 && info.num_ack_pending === 0;
}

async function openConsumer(session: NatsSession, options: ArchiveOptions): Promise<Consumer> {
  await ensureConsumer(session, options);
  return session.js.consumers.get(options.stream, options.durable);
}

// Timeouts, no responders and JetStream's 503 (no leader yet) pass; the names are the client's.
function isTransient(err: unknown): boolean {
  const name = err instanceof Error ? err.name : '';
  const message = err instanceof Error ? err.message : String(err);
  return /Timeout|NoResponders|Connection/.test(name) || /timeout|no responders|503|leader|heartbeat/i.test(message);
}

function handle(message: JsMsg, options: ArchiveOptions): Placed | 'bad' {
  const address = addressOf(options.subjectPrefix, message.subject);
  const meta = readChunkMeta(message.headers);
  const path = address === null ? null : archivePath(options.intoDir, address);
  if (path === null || typeof meta === 'string') {
    const why = typeof meta === 'string' ? meta : 'its subject names no safe vm/episode/file';
    options.say(`skipping message ${message.seq} on ${message.subject}: ${why} [VMTEL_ARCHIVE_BAD_CHUNK]`);
    message.term(why);
    return 'bad';
  }
  const placed = placeChunk(path, meta, message.data, message.seq);
  if (placed === 'gap') message.nak(GAP_RETRY_MS);
  else message.ack();
  return placed;
}

async function ensureConsumer(session: NatsSession, options: ArchiveOptions): Promise<void> {
  try {
    await session.jsm.consumers.info(options.stream, options.durable);
    return;
  } catch (err) {
    if (apiCode(err) !== CONSUMER_NOT_FOUND) throw err;
  }
  const lib = require('@nats-io/jetstream') as typeof import('@nats-io/jetstream');
  try {
    await session.jsm.consumers.add(options.stream, {
      durable_name: options.durable,
      ack_policy: lib.AckPolicy.Explicit,
      deliver_policy: lib.DeliverPolicy.All,
      filter_subject: `${options.subjectPrefix}.>`,
      ack_wait: ACK_WAIT_NS,
    });
  } catch (err) {
    throw new VmtelError('VMTEL_SHIP_UNREACHABLE', `cannot create consumer ${options.durable} on stream ${options.stream}: ${(err as Error).message}`, { cause: err });
  }
}
