// The one owner of the wire format of a shipped chunk: its subject, headers and de-duplication
// id. The shipper builds messages here and the archive reads them here, so the two cannot drift.
//
// A `lines` chunk is whole lines of an append-only file, at a byte offset; a `snapshot` is a whole
// version of a file that is rewritten (episode.json). Headers carry what the archive needs to
// place the bytes without trusting their order of arrival.
import type { MsgHdrs } from '@nats-io/transport-node';
import type { FileAddress } from './subject-token';

export const CHUNK_HEADERS = {
  kind: 'Vmtel-Kind',
  /** Byte offset of the chunk in its file (lines) or the snapshot's length (snapshot). */
  offset: 'Vmtel-Offset',
  /** Lines in the chunk. */
  lines: 'Vmtel-Lines',
  /** Lines of the file before the chunk: the 0-based index of its first line. */
  firstLine: 'Vmtel-First-Line',
  /** sha256 of a snapshot's bytes, hex. */
  sha256: 'Vmtel-Sha256',
} as const;

export type ChunkKind = 'lines' | 'snapshot';

export interface ChunkMeta {
  kind: ChunkKind;
  offset: number;
  lines: number;
  firstLine: number;
  sha256: string;
}

/**
 * The de-duplication id: the same chunk published twice (a retry after a lost ack) has the same
 * id, so JetStream stores it once within its duplicate window. The expected last subject sequence
 * covers a replay after the window.
 */
export function dedupId(address: FileAddress, meta: ChunkMeta): string {
  const where = meta.kind === 'lines' ? String(meta.offset) : meta.sha256;
  return JSON.stringify([address.vm, address.episode, address.file, where]);
}

/** The headers of a chunk, built with the client's own header type. */
export function chunkHeaders(meta: ChunkMeta): MsgHdrs {
  const { headers } = require('@nats-io/transport-node') as typeof import('@nats-io/transport-node');
  const h = headers();
  h.set(CHUNK_HEADERS.kind, meta.kind);
  h.set(CHUNK_HEADERS.offset, String(meta.offset));
  h.set(CHUNK_HEADERS.lines, String(meta.lines));
  h.set(CHUNK_HEADERS.firstLine, String(meta.firstLine));
  if (meta.kind === 'snapshot') h.set(CHUNK_HEADERS.sha256, meta.sha256);
  return h;
}

const DECIMAL = /^(0|[1-9][0-9]{0,15})$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The meta of a received message, or a reason it is not a vmtel chunk (the sender is not trusted). */
export function readChunkMeta(h: MsgHdrs | undefined): ChunkMeta | string {
  if (h === undefined) return 'no headers';
  const kind = h.get(CHUNK_HEADERS.kind);
  if (kind !== 'lines' && kind !== 'snapshot') return `${CHUNK_HEADERS.kind} is "${kind}"`;
  const numbers: number[] = [];
  for (const name of [CHUNK_HEADERS.offset, CHUNK_HEADERS.lines, CHUNK_HEADERS.firstLine]) {
    const text = h.get(name);
    if (!DECIMAL.test(text) || !Number.isSafeInteger(Number(text))) return `${name} is "${text}"`;
    numbers.push(Number(text));
  }
  const sha256 = h.get(CHUNK_HEADERS.sha256);
  if (kind === 'snapshot' && !SHA256_HEX.test(sha256)) return `${CHUNK_HEADERS.sha256} is "${sha256}"`;
  const [offset = 0, lines = 0, firstLine = 0] = numbers;
  return { kind, offset, lines, firstLine, sha256 };
}
