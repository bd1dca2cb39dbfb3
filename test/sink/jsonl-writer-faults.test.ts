// A full disk under a JSONL writer, on a real tmpfs: a write that fails part-way is cut back to
// the last whole line at once, the batch is held and retried, and rows survive once space is
// freed; what exceeds the hold bound is counted as dropped. Every line on disk stays whole.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { JsonlWriter } from '../../src/sink/jsonl-writer';
import type { WriteFault } from '../../src/sink/write-faults';
import { readJsonl } from '../helpers/jsonl';
import { fillDisk, mountTmpfs, MOUNT_SKIP_REASON } from '../helpers/tmpfs';
import { runUnderStrace } from '../helpers/strace';
import { waitFor } from '../helpers/wait-for';

const TORN_TAIL_WRITER = join(__dirname, '..', 'fixtures', 'sink', 'torn-tail-writer.js');

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

test('rows beyond the hold bound are reported as dropped; the rest reach the file', { skip: MOUNT_SKIP_REASON ?? false }, (t) => {
  const dir = mountTmpfs(t, 128 * 1024);
  const path = join(dir, 'rows.jsonl');
  const faults: WriteFault[] = [];
  // Exactly rows 0 to 19.
  const maxHeldChars = Array.from({ length: 20 }, (_, seq) => row(seq).length).reduce((a, b) => a + b);
  const writer = new JsonlWriter(path, { flushMs: 60_000, maxHeldChars, onFault: (fault) => faults.push(fault) });
  t.after(() => writer.close());
  const filler = fillDisk(dir);
  writer.write(row(0));
  assert.equal(writer.flush(), false, 'the disk is full');
  for (let seq = 1; seq < 50; seq++) writer.write(row(seq));
  const dropped = faults.filter((f) => f.kind === 'rows_dropped').reduce((n, f) => n + (f.kind === 'rows_dropped' ? f.rows : 0), 0);
  rmSync(filler);
  writer.close();
  const rows = readJsonl(path);
  assert.equal(dropped, 30, 'the bound holds exactly 20 rows: the failed one and 19 more');
  assert.deepEqual(rows.map((r) => r['seq']), Array.from({ length: 20 }, (_, i) => i), 'the held ones, in order');
});

test('rows still held at close are counted as dropped, and the file stays whole', { skip: MOUNT_SKIP_REASON ?? false }, (t) => {
  const dir = mountTmpfs(t, 64 * 1024);
  const path = join(dir, 'rows.jsonl');
  const faults: WriteFault[] = [];
  const writer = new JsonlWriter(path, { flushMs: 1, onFault: (fault) => faults.push(fault) });
  fillDisk(dir);
  for (let seq = 0; seq < 40; seq++) writer.write(row(seq), 1);
  writer.close();
  const faultsAtClose = faults.length;
  assert.equal(writer.flush(), false, "a closed writer's last write failed");
  assert.equal(faults.length, faultsAtClose, 'and it tries no more');
  const dropped = faults.filter((f) => f.kind === 'rows_dropped').reduce((n, f) => n + (f.kind === 'rows_dropped' ? f.rows : 0), 0);
  const rows = readJsonl(path);
  assert.equal(rows.length + dropped, 40);
  assert.equal(statSync(path).size, writer.bytesWritten);
});

// strace makes the first ftruncate(2) of the rows file fail (its fault injection): the cut-back
// after the partial write cannot be made, so the writer must make it before its next write.
test('a partial write whose cut-back fails is cut before the retry writes: no torn line', { skip: MOUNT_SKIP_REASON ?? false }, async (t) => {
  const dir = mountTmpfs(t, 64 * 1024);
  const path = join(dir, 'rows.jsonl');
  const before = Array.from({ length: 5 }, (_, seq) => row(seq)).join('');
  writeFileSync(path, before);
  const filler = fillDisk(dir);
  // One page free: the batch (about 20 KiB) is written part-way, then ENOSPC.
  truncateSync(filler, statSync(filler).size - 4096);
  const rowsInBatch = 100;
  const stdout = await runUnderStrace(t, ['-P', path, '-e', 'trace=ftruncate', '-e', 'inject=ftruncate:error=EIO:when=1'], TORN_TAIL_WRITER, [path, filler, String(rowsInBatch)]);
  const faults = JSON.parse(stdout) as WriteFault[];
  assert.deepEqual(faults.map((f) => f.kind), ['write_failed', 'write_recovered']);
  assert.equal(faults[0]!.kind === 'write_failed' && faults[0]!.code, 'ENOSPC');
  const batch = Array.from({ length: rowsInBatch }, (_, seq) => `{"batch":${seq},"pad":"${'x'.repeat(200)}"}\n`).join('');
  assert.equal(readFileSync(path, 'utf8'), before + batch, 'the rows before, then the batch once, whole');
});
