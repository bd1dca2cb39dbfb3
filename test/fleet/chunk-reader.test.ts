import assert from 'node:assert/strict';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CHUNK_TARGET_BYTES, readChunk } from '../../src/fleet/chunk-reader';
import { tempDir } from '../helpers/temp-dir';

function withFile(t: Parameters<typeof tempDir>[0], contents: Buffer | string): { fd: number; size: number } {
  const path = join(tempDir(t), 'f.jsonl');
  writeFileSync(path, contents);
  const fd = openSync(path, 'r');
  t.after(() => closeSync(fd));
  return { fd, size: Buffer.byteLength(contents) };
}

const MAX_PAYLOAD = 1024 * 1024;

test('only whole lines go out; a line being written waits', (t) => {
  const { fd, size } = withFile(t, 'a\nbb\nccc');
  const chunk = readChunk(fd, 0, size, MAX_PAYLOAD);
  assert.deepEqual({ offset: chunk?.offset, text: chunk?.bytes.toString(), lines: chunk?.lines }, { offset: 0, text: 'a\nbb\n', lines: 2 });
  assert.equal(readChunk(fd, 5, size, MAX_PAYLOAD), null, 'ccc has no newline yet');
  assert.equal(readChunk(fd, size, size, MAX_PAYLOAD), null);
});

test('chunks stop at the last whole line within the target size', (t) => {
  const line = `${'x'.repeat(999)}\n`;
  const { fd, size } = withFile(t, line.repeat(600));
  const chunk = readChunk(fd, 0, size, MAX_PAYLOAD)!;
  assert.equal(chunk.bytes.length, Math.floor(CHUNK_TARGET_BYTES / 1000) * 1000);
  assert.equal(chunk.lines, Math.floor(CHUNK_TARGET_BYTES / 1000));
  const next = readChunk(fd, chunk.bytes.length, size, MAX_PAYLOAD)!;
  assert.equal(next.offset, chunk.bytes.length);
});

test('a line longer than the target goes alone; one longer than a message goes in pieces', (t) => {
  const long = `${'y'.repeat(CHUNK_TARGET_BYTES + 10)}\nz\n`;
  const { fd, size } = withFile(t, long);
  const alone = readChunk(fd, 0, size, MAX_PAYLOAD)!;
  assert.equal(alone.bytes.length, CHUNK_TARGET_BYTES + 11);
  assert.equal(alone.lines, 1);
  const huge = withFile(t, 'w'.repeat(2 * MAX_PAYLOAD));
  const piece = readChunk(huge.fd, 0, huge.size, MAX_PAYLOAD)!;
  assert.equal(piece.lines, 0);
  assert.ok(piece.bytes.length < MAX_PAYLOAD && piece.bytes.length >= CHUNK_TARGET_BYTES, `${piece.bytes.length}`);
});
