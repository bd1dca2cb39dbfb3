// The structure of rows read byte by byte: every key at every depth, integers typed by their
// digits at the edges of BIGINT and UBIGINT, kinds that disagree widened, bad lines left out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StructureScan } from '../../src/export/json-structure';

function structureOf(lines: string[]): unknown {
  const scan = new StructureScan();
  for (const line of lines) {
    const bytes = Buffer.from(`  ${line}  `);
    scan.addLine(bytes, 1, bytes.length - 1);
  }
  return scan.structure();
}

test('integers get the narrowest exact type of all their values', () => {
  const cases: Array<[string[], string]> = [
    [['1', '-9223372036854775808', '9223372036854775807'], 'BIGINT'],
    [['0', '9223372036854775808'], 'UBIGINT'],
    [['18446744073709551615'], 'UBIGINT'],
    [['18446744073709551616'], 'DOUBLE'],
    [['-1', '9223372036854775808'], 'DECIMAL(38,0)'],
    [['-9223372036854775809'], 'DECIMAL(38,0)'],
    [['-99999999999999999999999999999999999999'], 'DECIMAL(38,0)'],
    [['-999999999999999999999999999999999999999'], 'DOUBLE'],
    [['1', '2.5'], 'DOUBLE'],
    [['1e3'], 'DOUBLE'],
    [['null', '7'], 'BIGINT'],
  ];
  for (const [values, type] of cases) assert.deepEqual(structureOf(values.map((value) => `{"v":${value}}`)), { v: type }, values.join(', '));
});

test('objects, lists and their elements are merged over all lines, keys in first-seen order', () => {
  const structure = structureOf([
    '{"t_mono_ns":1,"a":{"x":1},"list":[{"cpu":0,"user_ms":5}],"s":"text","b":true}',
    '{"t_mono_ns":2,"a":{"y":"z","x":2.5},"list":[],"late":null,"s":"\\"quoted\\" \\\\","b":false}',
    '{"list":[{"cpu":1,"name":"é"},{"user_ms":18446744073709551615}],"t_mono_ns":3}',
    '{"caf\\u00e9":1}',
  ]);
  assert.deepEqual(structure, {
    t_mono_ns: 'BIGINT',
    a: { x: 'DOUBLE', y: 'VARCHAR' },
    list: [{ cpu: 'BIGINT', user_ms: 'UBIGINT', name: 'VARCHAR' }],
    s: 'VARCHAR',
    b: 'BOOLEAN',
    late: 'NULL',
    café: 'BIGINT',
  });
});

test('a key whose values disagree in kind is text, or JSON when one is an object or a list', () => {
  assert.deepEqual(structureOf(['{"a":1,"b":{"c":1},"c":[1]}', '{"a":"x","b":2,"c":{"d":1}}', '{"a":true}']), { a: 'VARCHAR', b: 'JSON', c: 'JSON' });
});

test('a line that is not a JSON object is left out', () => {
  const scan = new StructureScan();
  const add = (line: string): boolean => scan.addLine(Buffer.from(line), 0, Buffer.byteLength(line));
  assert.equal(add('{"a":1}'), true);
  for (const bad of ['[1,2]', '7', '{"a":1', '{"a":tru}', '{"a" 1}', '{"a":1,}x', '{"b":1} x', '{"b\\x":1}', '']) assert.equal(add(bad), false, bad);
  assert.equal(add(`{"deep":${'['.repeat(100_000)}${']'.repeat(100_000)}}`), false, 'nested past any row vmtel writes, without overflowing the stack');
  assert.deepEqual(scan.structure(), { a: 'BIGINT' });
});
