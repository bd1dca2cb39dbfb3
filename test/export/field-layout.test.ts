import assert from 'node:assert/strict';
import { test } from 'node:test';
import { columnExpression, layoutOf } from '../../src/export/field-layout';
import { fieldRules, isFeatureField } from '../../src/export/field-rules';

const keep = (_name: string, inferred: string): string => inferred;

test('objects are flattened to a.b columns, lists stay one JSON column', () => {
  const layout = layoutOf({ t_mono_ns: 'BIGINT', cpu: { user_ms: 'BIGINT', 'busy fraction': 'DOUBLE' }, cpus: ['JSON'], gone: 'NULL' }, keep);
  assert.deepEqual(
    layout.columns.map(({ name, type }) => [name, type]),
    [
      ['t_mono_ns', 'BIGINT'],
      ['cpu.user_ms', 'BIGINT'],
      ['cpu.busy fraction', 'DOUBLE'],
      ['cpus', 'JSON'],
      ['gone', 'JSON'],
    ],
  );
  assert.equal(layout.readColumns, `{'t_mono_ns': 'BIGINT', 'cpu': 'STRUCT("user_ms" BIGINT, "busy fraction" DOUBLE)', 'cpus': 'JSON', 'gone': 'JSON'}`);
  assert.equal(columnExpression(layout.columns[2]!), `"cpu"['busy fraction']`);
});

test('names that would collide are never two columns: case, a dotted key, a reserved name, an empty key', () => {
  const layout = layoutOf({ a: { b: 'BIGINT' }, 'a.b': 'BIGINT', Mixed: 'BIGINT', mixed: 'DOUBLE', vm: 'VARCHAR', '': 'BIGINT', o: { X: 'BIGINT', x: 'BIGINT' } }, keep, ['vm', 'episode']);
  assert.deepEqual(layout.columns.map(({ name }) => name), ['a.b', 'Mixed', 'o']);
  assert.equal(layout.columns[2]?.type, 'JSON', 'an object whose keys differ only in case stays whole');
  assert.deepEqual(layout.skipped.sort(), ['', 'a.b', 'mixed', 'vm'].sort());
});

test('declared types: stamps BIGINT, built-in counters UBIGINT, text kept as text, guest stamps only when they fit', () => {
  const rules = fieldRules(['rx_*', 'io.*'], true);
  assert.equal(rules.typeOf('t_mono_ns', 'BIGINT'), 'BIGINT');
  assert.equal(rules.typeOf('t_guest_wall_ns', 'BIGINT'), 'BIGINT');
  assert.equal(rules.typeOf('t_guest_wall_ns', 'HUGEINT'), 'HUGEINT', 'a guest value beyond BIGINT is widened, never cut');
  assert.equal(rules.typeOf('rx_bytes', 'BIGINT'), 'UBIGINT');
  assert.equal(rules.typeOf('rx_bytes_delta', 'BIGINT'), 'UBIGINT');
  assert.equal(rules.typeOf('io.read_bytes', 'BIGINT'), 'UBIGINT');
  assert.equal(rules.typeOf('mtu', 'BIGINT'), 'BIGINT');
  assert.equal(rules.typeOf('when', 'DATE'), 'VARCHAR');
  // A module's counters are rates but keep their inferred type: nothing promises they are unsigned.
  assert.equal(fieldRules(['requests'], false).typeOf('requests', 'BIGINT'), 'BIGINT');
});

test('the grid takes measurements, not stamps, ticks, recorded deltas of counters or its own count', () => {
  const rules = fieldRules(['rx_*'], true);
  assert.deepEqual(
    ['rx_bytes', 'rx_bytes_delta', 'mtu', 'poll_delta', 't_mono_ns', 't_guest_host_ns', 'tick', 'rows_in_bin'].filter((name) => isFeatureField(name, rules)),
    ['rx_bytes', 'mtu', 'poll_delta'],
  );
});
