import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { JsonlWriter } from '../../src/sink/jsonl-writer';
import { tempDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait-for';

test('lines are held until the batch fills, then written together, appending to what was there', (t) => {
  const path = join(tempDir(t), 'rows.jsonl');
  writeFileSync(path, '{"old":true}\n');
  const writer = new JsonlWriter(path, { flushMs: 60_000, maxBatchChars: 100 });
  writer.write('{"a":1}\n');
  assert.equal(readFileSync(path, 'utf8'), '{"old":true}\n', 'nothing written before the batch fills');
  writer.write(`{"pad":"${'x'.repeat(100)}"}\n`);
  assert.match(readFileSync(path, 'utf8'), /^\{"old":true\}\n\{"a":1\}\n\{"pad":"x+"\}\n$/);
  writer.close();
  assert.equal(writer.bytesWritten, Buffer.byteLength(readFileSync(path, 'utf8')) - '{"old":true}\n'.length);
});

test('a held line reaches the file within flush_ms', (t) => {
  // Mocked timers: "within" is then exact, on any host load. Real time only decides that the
  // line, written right after opening (which counts as a line), comes densely and is held.
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const flushMs = 1000;
  const path = join(tempDir(t), 'rows.jsonl');
  const writer = new JsonlWriter(path, { flushMs });
  t.after(() => writer.close());
  writer.write('{"b":2}\n');
  assert.equal(readFileSync(path, 'utf8'), '', 'held');
  t.mock.timers.tick(flushMs);
  assert.equal(readFileSync(path, 'utf8'), '{"b":2}\n', 'written once flush_ms has passed');
});

test('lines that come densely are held and written within flush_ms; a line after a quiet spell at once', async (t) => {
  const path = join(tempDir(t), 'rows.jsonl');
  const flushMs = 200;
  const writer = new JsonlWriter(path, { flushMs });
  t.after(() => writer.close());
  writer.write('{"c":1}\n');
  writer.write('{"c":2}\n');
  assert.equal(readFileSync(path, 'utf8'), '', 'dense lines are held');
  await waitFor('the timer flush', () => readFileSync(path, 'utf8') === '{"c":1}\n{"c":2}\n', 2000);
  const flushedMs = performance.now();
  await waitFor('a quiet spell of half the flush interval', () => performance.now() - flushedMs >= flushMs / 2, 2000);
  writer.write('{"c":3}\n');
  assert.equal(readFileSync(path, 'utf8'), '{"c":1}\n{"c":2}\n{"c":3}\n', 'a line that comes alone is written at once');
});

test('close writes what is held, multi-byte text counted in bytes', (t) => {
  const path = join(tempDir(t), 'rows.jsonl');
  const writer = new JsonlWriter(path, { flushMs: 60_000 });
  writer.write('{"s":"é€"}\n');
  writer.close();
  assert.equal(readFileSync(path, 'utf8'), '{"s":"é€"}\n');
  assert.equal(writer.bytesWritten, 14, "é is 2 bytes, € is 3");
});
