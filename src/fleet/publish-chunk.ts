// Publishes one chunk and returns the file's point after it. Every publish names the sequence
// the subject's last message must have (Nats-Expected-Last-Subject-Sequence) besides its
// de-duplication id: a retry within JetStream's duplicate window is answered "duplicate", and a
// replay after it (a checkpoint that lagged the stream, an outage longer than the window) is
// refused, never stored twice. A refusal means the stream is ahead of us: the true point is read
// back from the subject's last message and the caller carries on from there.
import { CHUNK_HEADERS, chunkHeaders, dedupId, type ChunkMeta } from './chunk-message';
import type { FilePoint } from './ship-checkpoint';
import type { NatsSession } from './nats-client';
import { apiCode } from './stream-setup';
import type { FileAddress } from './subject-token';

// JetStream's "wrong last sequence" (nats-server's errors.json, JSStreamWrongLastSequenceErrF).
const WRONG_LAST_SEQUENCE = 10071;
// A publish whose ack has not come in this long is retried (same id, so never stored twice).
const ACK_TIMEOUT_MS = 5000;

export interface ChunkToShip {
  address: FileAddress;
  subject: string;
  stream: string;
  meta: ChunkMeta;
  bytes: Uint8Array;
}

/** The point after `chunk`, or the stream's own point when it was ahead (`resynced`). */
export async function publishChunk(session: NatsSession, point: FilePoint, chunk: ChunkToShip): Promise<{ point: FilePoint; resynced: boolean }> {
  try {
    const ack = await session.js.publish(chunk.subject, chunk.bytes, {
      msgID: dedupId(chunk.address, chunk.meta),
      expect: { lastSubjectSequence: point.subjectSeq, streamName: chunk.stream },
      headers: chunkHeaders(chunk.meta),
      timeout: ACK_TIMEOUT_MS,
    });
    const { meta } = chunk;
    const after: FilePoint =
      meta.kind === 'lines'
        ? { offset: meta.offset + chunk.bytes.length, lines: meta.firstLine + meta.lines, subjectSeq: ack.seq, sha256: '' }
        : { offset: meta.offset, lines: meta.lines, subjectSeq: ack.seq, sha256: meta.sha256 };
    return { point: after, resynced: false };
  } catch (err) {
    if (apiCode(err) !== WRONG_LAST_SEQUENCE) throw err;
    return { point: await streamPoint(session, chunk.stream, chunk.subject, point), resynced: true };
  }
}

/**
 * Where the stream says the file stands: after its subject's last message. With no message (the
 * subject expired), the local point is kept and the next publish expects an empty subject.
 */
export async function streamPoint(session: NatsSession, stream: string, subject: string, local: FilePoint): Promise<FilePoint> {
  const last = await session.jsm.streams.getMessage(stream, { last_by_subj: subject });
  if (last === null) return { ...local, subjectSeq: 0 };
  const h = last.header;
  const offset = Number(h.get(CHUNK_HEADERS.offset));
  const lines = Number(h.get(CHUNK_HEADERS.lines));
  if (h.get(CHUNK_HEADERS.kind) === 'snapshot') {
    return { offset, lines, subjectSeq: last.seq, sha256: h.get(CHUNK_HEADERS.sha256) };
  }
  const streamOffset = offset + last.data.length;
  // A stream behind the local point lost acknowledged chunks (it was re-created): the archive
  // keeps what it has; carrying on from the local point never ships a byte twice.
  if (streamOffset < local.offset) return { ...local, subjectSeq: last.seq };
  return { offset: streamOffset, lines: Number(h.get(CHUNK_HEADERS.firstLine)) + lines, subjectSeq: last.seq, sha256: '' };
}
