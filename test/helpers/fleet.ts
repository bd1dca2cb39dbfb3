// What every fleet test ends with: the archive holds each recorded file byte for byte, with
// every row once, and the stream holds each file's chunks end to end without a byte twice.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHUNK_HEADERS } from '../../src/fleet/chunk-message';
import { openNats } from '../../src/fleet/nats-client';

export const sha256Of = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Each named file of `runDir` has the same bytes under `archiveDir`, and no line twice. */
export function assertArchived(runDir: string, archiveDir: string, files: string[]): void {
  for (const file of files) {
    const recorded = readFileSync(join(runDir, file));
    assert.ok(recorded.length > 0, `${file} recorded something`);
    assert.equal(sha256Of(join(archiveDir, file)), sha256Of(join(runDir, file)), `${file}: archived sha256 equals recorded`);
    if (file.endsWith('.jsonl')) {
      const lines = recorded.toString('utf8').split('\n').filter((line) => line !== '');
      assert.equal(new Set(lines).size, lines.length, `${file}: every row exactly once`);
    }
  }
}

/** Every subject's chunks in the stream follow one another: no chunk stored twice, no gap. */
export async function assertStreamContiguous(servers: string[], stream: string): Promise<number> {
  const session = await openNats({ servers, auth: { kind: 'none' }, tls: null, clientName: 'test' });
  try {
    const info = await session.jsm.streams.info(stream);
    const nextOffset = new Map<string, number>();
    let chunks = 0;
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq += 1) {
      const message = await session.jsm.streams.getMessage(stream, { seq });
      if (message === null || message.header.get(CHUNK_HEADERS.kind) !== 'lines') continue;
      const offset = Number(message.header.get(CHUNK_HEADERS.offset));
      assert.equal(offset, nextOffset.get(message.subject) ?? 0, `chunk at seq ${seq} on ${message.subject} follows the one before`);
      nextOffset.set(message.subject, offset + message.data.length);
      chunks += 1;
    }
    return chunks;
  } finally {
    await session.nc.close();
  }
}
