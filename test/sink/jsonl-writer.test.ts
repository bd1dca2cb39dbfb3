import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { JsonlWriter } from '../../src/sink/jsonl-writer';
import type { WriteFault } from '../../src/sink/write-faults';
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

test('a batch that reaches max_batch_chars exactly is written at once', (t) => {
  const path = join(tempDir(t), 'rows.jsonl');
  const writer = new JsonlWriter(path, { flushMs: 60_000, maxBatchChars: 16 });
  t.after(() => writer.close());
  writer.write('{"a":1}\n');
  assert.equal(readFileSync(path, 'utf8'), '');
  writer.write('{"a":2}\n');
  assert.equal(readFileSync(path, 'utf8'), '{"a":1}\n{"a":2}\n', '8 + 8 = 16 characters: the batch is full');
});

test('lines that keep coming densely are written once flush_ms has passed since the last write, without waiting for the timer', (t) => {
  // The timer is mocked and never ticks: only the write path can flush.
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const flushMs = 200;
  const path = join(tempDir(t), 'rows.jsonl');
  const writer = new JsonlWriter(path, { flushMs });
  t.after(() => writer.close());
  const startedMs = performance.now();
  let seq = 0;
  // A line every ~0.1 ms for 1.5 flush intervals: never a quiet spell, never a full batch.
  while (performance.now() - startedMs < flushMs * 1.5) {
    writer.write(`{"seq":${seq++}}\n`);
    const sentMs = performance.now();
    while (performance.now() - sentMs < 0.1);
  }
  const lines = readFileSync(path, 'utf8').split('\n').slice(0, -1);
  assert.ok(lines.length > 0, `nothing written after ${seq} dense lines over ${flushMs * 1.5} ms`);
  assert.deepEqual(lines, Array.from({ length: lines.length }, (_, i) => `{"seq":${i}}`));
});

test('a line far longer than every batch before it, in multi-byte text, is written whole', (t) => {
  const path = join(tempDir(t), 'rows.jsonl');
  const writer = new JsonlWriter(path, { flushMs: 60_000, maxBatchChars: 10 });
  t.after(() => writer.close());
  writer.write('{"a":1}\n');
  assert.equal(writer.flush(), true);
  const long = `{"s":"${'€'.repeat(50)}"}\n`;
  writer.write(long);
  assert.equal(readFileSync(path, 'utf8'), `{"a":1}\n${long}`);
  assert.equal(writer.bytesWritten, 8 + Buffer.byteLength(long));
});

test('writes that succeed report no fault; flush says so, with or without lines held, and after close', (t) => {
  const path = join(tempDir(t), 'rows.jsonl');
  const faults: WriteFault[] = [];
  const writer = new JsonlWriter(path, { flushMs: 60_000, onFault: (fault) => faults.push(fault) });
  assert.equal(writer.flush(), true, 'nothing held');
  writer.write('{"a":1}\n');
  assert.equal(writer.flush(), true, 'one line held');
  writer.close();
  assert.equal(writer.flush(), true, 'closed');
  writer.close();
  assert.equal(readFileSync(path, 'utf8'), '{"a":1}\n');
  assert.deepEqual(faults, []);
});

test('lines written after close are counted as dropped, not written', (t) => {
  const path = join(tempDir(t), 'rows.jsonl');
  const faults: WriteFault[] = [];
  const writer = new JsonlWriter(path, { flushMs: 1, onFault: (fault) => faults.push(fault) });
  writer.write('{"a":1}\n');
  writer.close();
  writer.write('{"a":2}\n{"a":3}\n', 2);
  assert.equal(writer.flush(), true);
  assert.equal(readFileSync(path, 'utf8'), '{"a":1}\n');
  assert.deepEqual(faults, [{ kind: 'rows_dropped', file: path, rows: 2 }]);
});
