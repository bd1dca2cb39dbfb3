import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FieldState, scanRows, TopLevelFields } from '../../src/run-dir';
import { tempDir } from '../helpers/temp-dir';

function read(line: string, names: string[]): TopLevelFields {
  const fields = new TopLevelFields(names);
  const bytes = Buffer.from(line);
  assert.equal(fields.read(bytes, 0, bytes.length), true, line);
  return fields;
}

test('reads 19-digit integers exactly and fractions as numbers', () => {
  const f = read('{"t_mono_ns":12,"t_wall_ns":1795981198707445666,"x":-18446744073709551615,"cpu":3.5e1}', ['t_wall_ns', 'x', 'cpu', 't_mono_ns']);
  assert.equal(f.bigint(0), 1795981198707445666n);
  assert.equal(f.bigint(1), -18446744073709551615n);
  assert.equal(f.state[2], FieldState.Fraction);
  assert.equal(f.number[2], 35);
  assert.equal(f.number[3], 12);
  const g = read('{"a":1795981198707445666,"b":1795981198706000125}', ['a', 'b']);
  assert.equal(g.difference(0, 1), 1445541);
});

test('only top-level keys count: nested, quoted and escaped ones are told apart, the last repeat wins', () => {
  const line = '{"nested":{"seq":1,"deep":[{"seq":2}]},"text":"\\"seq\\":3, {","seq":4,"\\u0073eq":5,"z":null}';
  assert.deepEqual(JSON.parse(line).seq, 5);
  const f = read(line, ['seq', 'z', 'missing']);
  assert.equal(f.number[0], 5);
  assert.equal(f.state[1], FieldState.NotNumber);
  assert.equal(f.state[2], FieldState.Absent);
});

test('a line that is not an object is refused and leaves every field absent', () => {
  const fields = new TopLevelFields(['a']);
  for (const line of ['[1,2]', '{"a":1', 'garbage', '{"a":1,}x']) {
    const bytes = Buffer.from(line);
    assert.equal(fields.read(bytes, 0, bytes.length), false, line);
    assert.equal(fields.state[0], FieldState.Absent);
  }
});

test('scanRows reads every complete line across chunk borders and counts a cut last line apart', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'rows.jsonl');
  const rows = Array.from({ length: 30_000 }, (_, i) => `{"seq":${i},"pad":"${'x'.repeat(i % 97)}","t":${1795981198707445666n + BigInt(i)}}`);
  writeFileSync(path, `${rows.join('\n')}\nnot json\n{"seq":-1,"t":1`);
  let expectedSeq = 0;
  const read = await scanRows(path, ['seq', 't'], (f) => {
    assert.equal(f.number[0], expectedSeq);
    assert.equal(f.bigint(1), 1795981198707445666n + BigInt(expectedSeq));
    expectedSeq += 1;
  });
  assert.equal(expectedSeq, 30_000);
  assert.deepEqual({ rows: read.rows, unreadable: read.unreadable, unterminatedBytes: read.unterminatedBytes }, { rows: 30_000, unreadable: 1, unterminatedBytes: 15 });
});
