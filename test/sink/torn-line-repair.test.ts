import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repairTornTail } from '../../src/sink/torn-line-repair';
import { tempDir } from '../helpers/temp-dir';

test('a torn last line is moved to .torn and the file cut back to its last whole line', (t) => {
  const path = join(tempDir(t), 'rows.jsonl');
  writeFileSync(path, '{"a":1}\n{"b":2}\n{"c":3,"tor');
  const repaired = repairTornTail(path);
  assert.deepEqual(repaired, { path, tornBytes: 11, tornPath: `${path}.torn` });
  assert.equal(readFileSync(path, 'utf8'), '{"a":1}\n{"b":2}\n');
  assert.equal(readFileSync(`${path}.torn`, 'utf8'), '{"c":3,"tor\n');
});

test('whole files, empty files and missing files are left alone', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'whole.jsonl'), '{"a":1}\n');
  writeFileSync(join(dir, 'empty.jsonl'), '');
  assert.equal(repairTornTail(join(dir, 'whole.jsonl')), null);
  assert.equal(repairTornTail(join(dir, 'empty.jsonl')), null);
  assert.equal(repairTornTail(join(dir, 'missing.jsonl')), null);
  assert.equal(readFileSync(join(dir, 'whole.jsonl'), 'utf8'), '{"a":1}\n');
});

test('a fragment longer than the read block, and a file with no newline at all', (t) => {
  const dir = tempDir(t);
  const long = join(dir, 'long.jsonl');
  const fragment = `{"x":"${'y'.repeat(200_000)}`;
  writeFileSync(long, `{"a":1}\n${fragment}`);
  assert.equal(repairTornTail(long)?.tornBytes, fragment.length);
  assert.equal(readFileSync(long, 'utf8'), '{"a":1}\n');
  const none = join(dir, 'none.jsonl');
  writeFileSync(none, '{"half');
  assert.equal(repairTornTail(none)?.tornBytes, 6);
  assert.equal(readFileSync(none, 'utf8'), '');
});

// The tail is read backwards in blocks of 64 KiB (TAIL_BLOCK_BYTES in torn-line-repair.ts).
const TAIL_BLOCK_BYTES = 64 * 1024;

test('the last newline as the first byte of a read block still ends the kept lines', (t) => {
  const path = join(tempDir(t), 'rows.jsonl');
  const fragment = 'y'.repeat(TAIL_BLOCK_BYTES - 1);
  writeFileSync(path, `{"a":1}\n${fragment}`);
  assert.equal(repairTornTail(path)?.tornBytes, fragment.length);
  assert.equal(readFileSync(path, 'utf8'), '{"a":1}\n');
  assert.equal(readFileSync(`${path}.torn`, 'utf8'), `${fragment}\n`);
});

test('a repair and a whole file leave no file descriptor open', (t) => {
  const openFds = (): number => readdirSync('/proc/self/fd').length;
  const dir = tempDir(t);
  writeFileSync(join(dir, 'torn.jsonl'), '{"a":1}\n{"tor');
  writeFileSync(join(dir, 'whole.jsonl'), '{"a":1}\n');
  const before = openFds();
  assert.equal(repairTornTail(join(dir, 'torn.jsonl'))?.tornBytes, 5);
  assert.equal(repairTornTail(join(dir, 'whole.jsonl')), null);
  assert.equal(openFds(), before);
});
