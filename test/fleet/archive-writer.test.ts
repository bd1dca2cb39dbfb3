import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { placeChunk } from '../../src/fleet/archive/archive-writer';
import type { ChunkMeta } from '../../src/fleet/chunk-message';
import { tempDir } from '../helpers/temp-dir';

const lines = (offset: number): ChunkMeta => ({ kind: 'lines', offset, lines: 1, firstLine: 0, sha256: '' });
const snapshot: ChunkMeta = { kind: 'snapshot', offset: 0, lines: 0, firstLine: 0, sha256: '0'.repeat(64) };
const bytes = (text: string): Uint8Array => Buffer.from(text);

test('a chunk is written at its offset, recognised when held, and never written past a gap', (t) => {
  const path = join(tempDir(t), 'vm', 'ep', 'f.jsonl');
  assert.equal(placeChunk(path, lines(4), bytes('b\n'), 2), 'gap');
  assert.equal(placeChunk(path, lines(0), bytes('aaa\n'), 1), 'written');
  assert.equal(placeChunk(path, lines(0), bytes('aaa\n'), 1), 'had', 'a redelivery');
  assert.equal(placeChunk(path, lines(4), bytes('b\n'), 2), 'written', 'the gap filled');
  assert.equal(readFileSync(path, 'utf8'), 'aaa\nb\n');
});

test('a chunk written in part before a crash is completed, not appended again', (t) => {
  const path = join(tempDir(t), 'vm', 'ep', 'f.jsonl');
  placeChunk(path, lines(0), bytes('aa'), 1);
  assert.equal(placeChunk(path, lines(0), bytes('aaa\n'), 1), 'written');
  assert.equal(readFileSync(path, 'utf8'), 'aaa\n');
});

test('the newest snapshot in the stream is kept, whatever the order of delivery', (t) => {
  const path = join(tempDir(t), 'vm', 'ep', 'episode.json');
  assert.equal(placeChunk(path, snapshot, bytes('{"v":5}\n'), 5), 'written');
  assert.equal(placeChunk(path, snapshot, bytes('{"v":3}\n'), 3), 'had', 'an older one redelivered late');
  assert.equal(readFileSync(path, 'utf8'), '{"v":5}\n');
  assert.equal(placeChunk(path, snapshot, bytes('{"v":9}\n'), 9), 'written');
  assert.equal(readFileSync(path, 'utf8'), '{"v":9}\n');
});
