// The exact JSON parser's own walk (a text with a run of 16 digits takes it): every shape and
// escape it must read, and each error it must name with its offset. A text without such a run
// goes to JSON.parse, whose message is kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExactJsonError, parseExactJson } from '../../src/sink/exact-json';

// Beyond 2^53: only the walk reads it exactly, and its presence sends a text to the walk.
const BIG = '12345678901234567';

function failure(text: string): string {
  try {
    parseExactJson(text);
  } catch (err) {
    assert.ok(err instanceof ExactJsonError, `${text}: ${String(err)}`);
    return err.message;
  }
  return assert.fail(`${text} parsed`);
}

test('the walk reads empty containers, whitespace, fractions, exponents and escapes as JSON.parse does', () => {
  assert.deepEqual(parseExactJson(`[ { } ,\n\t[ ] , ${BIG} ,\r\n 1 ]`), [{}, [], BigInt(BIG), 1]);
  assert.deepEqual(parseExactJson(`[1.25, -0.5, 2e+3, 3E-2, 7e2, ${BIG}]`), [1.25, -0.5, 2000, 0.03, 700, BigInt(BIG)]);
  assert.deepEqual(parseExactJson(`["a\\"b\\\\c\\/\\u00e9\\n\\t", true, false, null, ${BIG}]`), ['a"b\\c/é\n\t', true, false, null, BigInt(BIG)]);
  assert.deepEqual(parseExactJson(`{"a" : { "b" : [ ] } , "n" : ${BIG}}`), { a: { b: [] }, n: BigInt(BIG) });
});

test('the walk keeps __proto__ as an ordinary own data property', () => {
  const value = parseExactJson(`{"__proto__": 1, "n": ${BIG}}`) as Record<string, unknown>;
  assert.deepEqual(Object.getOwnPropertyDescriptor(value, '__proto__'), { value: 1, writable: true, enumerable: true, configurable: true });
  assert.equal(Object.getPrototypeOf(value), Object.prototype);
});

test('each error of the walk names what was expected and where', () => {
  const cases: Array<[string, string]> = [
    [`[${BIG}] x`, 'unexpected text after the value at offset 20'],
    [`{${BIG}:1}`, 'expected a key at offset 1'],
    [`{"a" ${BIG}}`, 'expected ":" at offset 5'],
    [`[${BIG} 1]`, 'expected "," or "]" at offset 19'],
    [`{"a":${BIG}]`, 'expected "," or "}" at offset 22'],
    [`["\u0001", ${BIG}]`, 'bad string at offset 1'],
    [`[${BIG}, nul]`, 'unexpected character at offset 20'],
    [`[${BIG}, x]`, 'unexpected character at offset 20'],
  ];
  for (const [text, message] of cases) assert.equal(failure(text), message, JSON.stringify(text));
});

test('a text without a long digit run is JSON.parse\'s, and so is its error message', () => {
  for (const text of ['{"a":}', '{"a":1,}', '[1 2]']) {
    let expected = '';
    try {
      JSON.parse(text);
    } catch (err) {
      expected = (err as Error).message;
    }
    assert.notEqual(expected, '');
    assert.equal(failure(text), expected, text);
  }
});
