import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseExactJson } from '../../src/sink/exact-json';
import { toJson } from '../../src/sink/json-line';

test('integers beyond 2^53 come back as exact bigints and are written back unchanged', () => {
  const text = '{"wall":1764234567890123457,"small":42,"neg":-18446744073709551615,"f":1.5,"e":1e400,"s":"a\\"b","l":[true,false,null]}';
  const value = parseExactJson(text) as Record<string, unknown>;
  assert.equal(value['wall'], 1764234567890123457n);
  assert.equal(value['small'], 42);
  assert.equal(value['neg'], -18446744073709551615n);
  assert.equal(toJson(value), text.replace('1e400', 'null'));
});

test('__proto__ is a key like any other', () => {
  const value = parseExactJson('{"__proto__":{"polluted":true},"constructor":1}') as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(value), Object.prototype);
  assert.deepEqual(Object.keys(value), ['__proto__', 'constructor']);
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  assert.equal(toJson(value), '{"__proto__":{"polluted":true},"constructor":1}');
});

test('malformed text is refused with its offset', () => {
  for (const bad of ['{"a":1,}', '[1 2]', '{"a"}', 'tru', '01', '"\u0001"', '{"a":1} x', '']) {
    assert.throws(() => parseExactJson(bad), SyntaxError, bad);
  }
});

test('toJson writes bigints as digits, skips undefined members and nulls non-finite numbers', () => {
  assert.equal(toJson({ a: 1n << 64n, b: undefined, c: [undefined, NaN], d: 'x' }), '{"a":18446744073709551616,"c":[null,null],"d":"x"}');
});
