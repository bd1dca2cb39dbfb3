// A full disk under a JSONL writer, on a real tmpfs: a write that fails part-way is cut back to
// the last whole line at once, the batch is held and retried, and rows survive once space is
// freed; what exceeds the hold bound is counted as dropped. Every line on disk stays whole.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { JsonlWriter } from '../../src/sink/jsonl-writer';
import type { WriteFault } from '../../src/sink/write-faults';
import { readJsonl } from '../helpers/jsonl';
import { fillDisk, mountTmpfs, MOUNT_SKIP_REASON } from '../helpers/tmpfs';
import { waitFor } from '../helpers/wait-for';

const row = (seq: number): string => `{"seq":${seq},"pad":"${'x'.repeat(180)}"}\n`;

test('a full disk: no torn line, the held rows are written once space is freed, in order, once each', { skip: MOUNT_SKIP_REASON ?? false }, async (t) => {
  const dir = mountTmpfs(t, 256 * 1024);
  const path = join(dir, 'rows.jsonl');
  const faults: WriteFault[] = [];
  const writer = new JsonlWriter(path, { flushMs: 1, onFault: (fault) => faults.push(fault) });
  t.after(() => writer.close());
  let seq = 0;
  for (; seq < 100; seq++) writer.write(row(seq));
  writer.flush();
  const filler = fillDisk(dir);
  // A batch larger than the pages left: the kernel takes part of it, then says ENOSPC.
  for (const end = seq + 300; seq < end; seq++) writer.write(row(seq));
  writer.flush();
  await waitFor('write_failed', () => faults.some((f) => f.kind === 'write_failed'));
  const failed = faults.find((f) => f.kind === 'write_failed')!;
  assert.equal(failed.kind === 'write_failed' && failed.code, 'ENOSPC');
  // Cut back at once: the file ends on a whole line, whatever the kernel took.
  const whileFull = readFileSync(path, 'utf8');
  assert.ok(whileFull.endsWith('\n'), 'no partial line left while the disk is full');
  readJsonl(path);
  assert.equal(statSync(path).size, writer.bytesWritten, 'the file holds exactly what was written whole');
  for (const end = seq + 50; seq < end; seq++) writer.write(row(seq));

  rmSync(filler);
  await waitFor('write_recovered after space was freed', () => faults.some((f) => f.kind === 'write_recovered'), 10_000);
  writer.close();
  const rows = readJsonl(path);
  assert.deepEqual(rows.map((r) => r['seq']), Array.from({ length: seq }, (_, i) => i), 'every row once, in order');
  const recovered = faults.find((f) => f.kind === 'write_recovered')!;
  assert.equal(recovered.kind === 'write_recovered' && recovered.dropped_rows, 0);
  assert.ok(!faults.some((f) => f.kind === 'rows_dropped'));
});

test('rows beyond the hold bound are reported as dropped; the rest reach the file', { skip: MOUNT_SKIP_REASON ?? false }, async (t) => {
  const dir = mountTmpfs(t, 128 * 1024);
  const path = join(dir, 'rows.jsonl');
  const faults: WriteFault[] = [];
  const maxHeldChars = 20 * row(0).length;
  const writer = new JsonlWriter(path, { flushMs: 1, maxHeldChars, onFault: (fault) => faults.push(fault) });
  t.after(() => writer.close());
  const filler = fillDisk(dir);
  for (let seq = 0; seq < 50; seq++) writer.write(row(seq));
  writer.flush();
  const dropped = faults.filter((f) => f.kind === 'rows_dropped').reduce((n, f) => n + (f.kind === 'rows_dropped' ? f.rows : 0), 0);
  rmSync(filler);
  writer.close();
  const rows = readJsonl(path);
  assert.ok(dropped > 0, 'some rows were dropped');
  assert.equal(rows.length + dropped, 50, 'every row is on disk or counted as dropped');
  assert.deepEqual(rows.map((r) => r['seq']), Array.from({ length: rows.length }, (_, i) => i), 'the held ones, in order');
});

test('rows still held at close are counted as dropped, and the file stays whole', { skip: MOUNT_SKIP_REASON ?? false }, (t) => {
  const dir = mountTmpfs(t, 64 * 1024);
  const path = join(dir, 'rows.jsonl');
  const faults: WriteFault[] = [];
  const writer = new JsonlWriter(path, { flushMs: 1, onFault: (fault) => faults.push(fault) });
  fillDisk(dir);
  for (let seq = 0; seq < 40; seq++) writer.write(row(seq), 1);
  writer.close();
  const dropped = faults.filter((f) => f.kind === 'rows_dropped').reduce((n, f) => n + (f.kind === 'rows_dropped' ? f.rows : 0), 0);
  const rows = readJsonl(path);
  assert.equal(rows.length + dropped, 40);
  assert.equal(statSync(path).size, writer.bytesWritten);
});
