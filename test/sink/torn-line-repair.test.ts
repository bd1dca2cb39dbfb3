import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
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
