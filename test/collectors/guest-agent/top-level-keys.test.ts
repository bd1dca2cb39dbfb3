// The top-level keys of a JSON object text, found in place: each key's exact span and decoded
// name, in order with duplicates, past values of every kind (nested objects and arrays, strings
// holding brackets, commas and escaped quotes) and JSON's four whitespace characters.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { topLevelKeys } from '../../../src/collectors/guest-agent/top-level-keys';

/** Each key's name and its raw text cut from `text` by its span. */
function keysOf(text: string): Array<[string, string]> {
  return topLevelKeys(text).map(({ name, start, end }) => [name, text.slice(start, end)]);
}

test('every top-level key in order, none of the nested ones, each span its quoted text', () => {
  const text = '{"a":1,"b":"x","c":[1,{"d":2}],"e":{"f":[3],"g":{}},"h":null}';
  assert.deepEqual(keysOf(text), [
    ['a', '"a"'],
    ['b', '"b"'],
    ['c', '"c"'],
    ['e', '"e"'],
    ['h', '"h"'],
  ]);
  assert.deepEqual(
    topLevelKeys(text).map(({ start }) => start),
    [1, 7, 15, 31, 52],
  );
});

test('brackets closing inside a value keep the scan at its depth', () => {
  assert.deepEqual(keysOf('{"a":[[],[[]]],"b":{"c":{"d":[]}},"e":[{}],"f":1}').map(([name]) => name), ['a', 'b', 'e', 'f']);
});

test('strings holding brackets, braces, commas and escaped quotes are skipped whole', () => {
  assert.deepEqual(keysOf('{"a":"},{\\"x\\":[,","b":"\\\\","c":"]"}').map(([name]) => name), ['a', 'b', 'c']);
});

test("each of JSON's whitespace characters is skipped around keys and after commas", () => {
  for (const ws of [' ', '\t', '\r', '\n']) {
    const text = `${ws}{${ws}"a"${ws}:${ws}1${ws},${ws}"b"${ws}:${ws}[${ws}]${ws}}${ws}`;
    assert.deepEqual(keysOf(text), [
      ['a', '"a"'],
      ['b', '"b"'],
    ], JSON.stringify(ws));
  }
});

test('escaped keys are decoded as JSON.parse reads them, their spans the raw text', () => {
  assert.deepEqual(keysOf('{"sour\\u0063e":1,"t\\"q":2}'), [
    ['source', '"sour\\u0063e"'],
    ['t"q', '"t\\"q"'],
  ]);
});

test('duplicates are listed each time; an empty object has no keys', () => {
  assert.deepEqual(keysOf('{"a":1,"a":{"a":2}}'), [
    ['a', '"a"'],
    ['a', '"a"'],
  ]);
  assert.deepEqual(topLevelKeys('{}'), []);
  assert.deepEqual(topLevelKeys(' { } '), []);
});
