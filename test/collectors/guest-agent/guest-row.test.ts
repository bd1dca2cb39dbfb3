// One guest line in, one row out: exact numbers, host-owned keys, prototype keys, depth and the
// shapes that are not rows. The head is fixed here, so expected rows are written out in full.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { guestObject, isPlainRow, RowDrop, spliceGuestRow } from '../../../src/collectors/guest-agent/guest-row';
import { HOST_OWNED_KEYS } from '../../../src/sink/row-format';

const HEAD = '{"t_mono_ns":5,"t_wall_ns":6,"source":"guest_agent","available_in_deployment":true';
const NULLS = ',"t_guest_mono_ns":null,"t_guest_wall_ns":null';

function splice(line: string, maxDepth = 32): string | RowDrop | null {
  const value = guestObject(line, maxDepth);
  return value === null || value instanceof RowDrop ? value : spliceGuestRow(line, value, HEAD);
}

test('the guest text is spliced after the head byte for byte: 19-digit integers stay exact', () => {
  const line = '{"t_guest_mono_ns":1764234567890123457,"t_guest_wall_ns":18446744073709551615,"x":1.10,"e":1E400}';
  assert.equal(splice(line), `${HEAD},${line.slice(1)}\n`);
});

test('missing guest clocks become null; the empty object, whitespace and CRLF are handled', () => {
  assert.equal(splice('{}'), `${HEAD}${NULLS}}\n`);
  assert.equal(splice(' { \t} \r'), `${HEAD}${NULLS}}\n`);
  assert.equal(splice('{"a":1}\r'), `${HEAD}${NULLS},"a":1}\n`);
  assert.equal(splice('  { "a" : [ 1 , 2 ] }  '), `${HEAD}${NULLS}, "a" : [ 1 , 2 ] }\n`);
  assert.equal(splice('{"t_guest_wall_ns":7}'), `${HEAD},"t_guest_mono_ns":null,"t_guest_wall_ns":7}\n`);
});

test('the guest clock sent as t_mono_ns/t_wall_ns moves to t_guest_*', () => {
  assert.equal(
    splice('{"t_mono_ns":1764234567890123457,"t_wall_ns":2,"a":1}'),
    `${HEAD},"t_guest_mono_ns":1764234567890123457,"t_guest_wall_ns":2,"a":1}\n`,
  );
});

test('a host-owned key the guest sent is kept as guest_<key>, whatever escapes spell it', () => {
  const row = splice('{"t_guest_mono_ns":1,"t_mono_ns":9,"sour\\u0063e":"qmp","available_in_deployment":false,"t_guest_wall_ns":2}');
  assert.equal(
    row,
    `${HEAD},"t_guest_mono_ns":1,"guest_t_mono_ns":9,"guest_source":"qmp","guest_available_in_deployment":false,"t_guest_wall_ns":2}\n`,
  );
  const parsed = JSON.parse(row as string) as Record<string, unknown>;
  assert.equal(parsed['source'], 'guest_agent');
  assert.equal(parsed['available_in_deployment'], true);
  assert.equal(parsed['t_mono_ns'], 5);
});

test('a renamed key never overwrites one the guest sent under the new name', () => {
  assert.equal(
    splice('{"source":"a","guest_source":"b","guest_guest_source":"c"}'),
    `${HEAD}${NULLS},"guest_guest_guest_source":"a","guest_source":"b","guest_guest_source":"c"}\n`,
  );
});

test('host-owned keys inside nested objects are data and stay as they are', () => {
  const line = '{"inner":{"source":"x","t_mono_ns":1},"list":[{"source":"y"}]}';
  assert.equal(splice(line), `${HEAD}${NULLS},${line.slice(1)}\n`);
});

test('__proto__ and constructor are data, never a prototype change', () => {
  const guest = '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"source":"x"}';
  const row = splice(guest);
  // Checked before this test parses anything: only the code under test has touched the text.
  assert.equal(Object.hasOwn(Object.prototype, 'polluted'), false);
  assert.equal(
    row,
    `${HEAD}${NULLS},"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"guest_source":"x"}\n`,
  );
});

// Each key alone, beside both guest clocks, so no other key sends the line down the rename path:
// a row of plain guest text carrying the key would hold it twice, and a JSON reader keeps the guest's.
// With t_guest_* taken, even the guest's own clock keys become guest_<key>.
for (const key of HOST_OWNED_KEYS) {
  test(`the host-owned key ${key} alone is renamed, never written twice`, () => {
    const line = `{"t_guest_mono_ns":1,"t_guest_wall_ns":2,"${key}":false}`;
    assert.equal(isPlainRow(line, guestObject(line, 32) as object), false, `${key}: not a plain row`);
    assert.equal(splice(line), `${HEAD},"t_guest_mono_ns":1,"t_guest_wall_ns":2,"guest_${key}":false}\n`);
  });
}

test('nesting up to max_depth is kept, one deeper is dropped; brackets in strings do not count', () => {
  const nested = (depth: number): string => `{"a":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;
  assert.equal(typeof splice(nested(4), 4), 'string');
  assert.equal(splice(nested(5), 4), RowDrop.tooDeep);
  assert.equal(typeof splice('{"s":"[[[[[[{{{{","t":"\\"[[[[[[\\\\"}', 2), 'string');
  assert.equal(splice(`{"deep":${'['.repeat(500_000)}`, 32), RowDrop.tooDeep);
});

test('non-objects and malformed JSON are dropped with their reason; blank lines are skipped', () => {
  for (const line of ['42', '[1]', '"x"', 'null', 'true']) assert.equal(splice(line), RowDrop.notObject, line);
  for (const line of ['{"a":}', '{"a":1}x', '{"a":1', 'garbage', '\ufeff{"a":1}']) {
    assert.equal(splice(line), RowDrop.malformed, line);
  }
  for (const line of [' ', '\r', ' \t\r']) assert.equal(splice(line), null, JSON.stringify(line));
});
