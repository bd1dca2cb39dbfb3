// The nesting check on a guest line's raw text, before JSON.parse: exact depths, brackets inside
// strings ignored however the string escapes its quotes, and an unterminated string read to the end.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exceedsDepth, stringEnd } from '../../../src/collectors/guest-agent/json-depth';

test('depth is counted exactly: {} is 1, and closing a level takes it back', () => {
  assert.equal(exceedsDepth('{"a":1}', 1), false);
  assert.equal(exceedsDepth('{"a":1}', 0), true);
  assert.equal(exceedsDepth('{"a":{"b":1}}', 1), true);
  assert.equal(exceedsDepth('{"a":{"b":1}}', 2), false);
  assert.equal(exceedsDepth('[[1]]', 1), true, 'a line that starts with its bracket');
  assert.equal(exceedsDepth('[[1]]', 2), false);
  // Siblings: each closes before the next opens.
  assert.equal(exceedsDepth('{"a":{},"b":[],"c":{"d":[]},"e":{}}', 3), false);
  assert.equal(exceedsDepth('{"a":{},"b":[],"c":{"d":[]},"e":{}}', 2), true);
});

test('brackets inside strings do not count, whatever the escapes before a quote', () => {
  assert.equal(exceedsDepth('{"a":"[[[{{{"}', 1), false);
  // An escaped quote does not end the string: the brackets after it are still inside.
  assert.equal(exceedsDepth('{"a":"x\\"[[[","b":1}', 1), false);
  // An escaped backslash before a quote: the quote ends the string, the brackets after it count.
  assert.equal(exceedsDepth('{"a":"x\\\\","b":[[1]]}', 2), true);
  assert.equal(exceedsDepth('{"a":"x\\\\\\"[[","b":1}', 1), false, 'three backslashes: the quote is escaped');
  // A string that never ends holds the rest of the line.
  assert.equal(exceedsDepth('{"a":"[[[{{', 1), false);
});

test('a string ends at its first unescaped quote, or at the end of the text', () => {
  assert.equal(stringEnd('"abc"x', 0), 4);
  assert.equal(stringEnd('"a\\"b"x', 0), 5);
  assert.equal(stringEnd('"a\\\\"x', 0), 4);
  assert.equal(stringEnd('"abc', 0), 4);
});
