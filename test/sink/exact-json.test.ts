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

// A run of 16 digits anywhere sends a text down the exact walk; without one, JSON.parse reads it.
const BIG = 12345678901234567890n;

test('malformed text is refused on both paths, the walk naming the offset', () => {
  for (const bad of ['{"a":1,}', '[1 2]', '{"a"}', 'tru', '01', '"\u0001"', '{"a":1} x', '', '"\\u12"', '"\\u00e"']) {
    assert.throws(() => parseExactJson(bad), SyntaxError, bad);
    assert.throws(() => parseExactJson(`[${BIG},${bad}]`), /offset \d+/, bad);
  }
});

test('both paths read the same values', () => {
  const members = '[1,2.5,-0,1e3,-7,"s\\u00e9\\"",true,null,{"__proto__":{"x":1},"k":[]},123456789012345]';
  const native = parseExactJson(members);
  const walked = parseExactJson(`{"big":${BIG},"members":${members}}`) as Record<string, unknown>;
  assert.equal(walked['big'], BIG);
  assert.deepEqual(walked['members'], native);
  assert.ok(Object.is((native as unknown[])[2], -0));
  assert.equal(Object.getPrototypeOf((native as Array<Record<string, unknown>>)[8]), Object.prototype);
});

test('toJson writes bigints as digits, skips undefined members and nulls non-finite numbers', () => {
  assert.equal(toJson({ a: 1n << 64n, b: undefined, c: [undefined, NaN], d: 'x' }), '{"a":18446744073709551616,"c":[null,null],"d":"x"}');
});

test('toJson writes a bigint anywhere as digits and never turns a string into a number', () => {
  assert.equal(toJson(-5n), '-5');
  assert.equal(toJson([1n, { x: [2n], t: new Date(0) }]), '[1,{"x":[2],"t":"1970-01-01T00:00:00.000Z"}]');
  // A string shaped like a marked bigint, but without this process's random marker.
  const lookalike = `\u2063${'0'.repeat(32)}:123`;
  assert.equal(toJson({ s: lookalike, b: 7n }), `{"s":${JSON.stringify(lookalike)},"b":7}`);
  // Digits in a string stay a string beside a bigint, with or without a marker's separators.
  for (const digits of ['123', '-4', '\u2063:123', '\u2063123']) assert.equal(toJson({ s: digits, b: 7n }), `{"s":${JSON.stringify(digits)},"b":7}`);
  assert.equal(toJson(undefined), 'null');
});
