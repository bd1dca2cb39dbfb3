// "got ..." in a config message: what a parsed YAML value is, in the user's words, and which
// values count as a mapping.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeValue, isMapping } from '../../src/config/describe-value';

test('each kind of value in words; a string of 60 characters whole, a longer one cut at 60', () => {
  assert.equal(describeValue(undefined), 'nothing');
  assert.equal(describeValue(-5), '-5');
  assert.equal(describeValue(1.5), '1.5');
  assert.equal(describeValue(true), 'true (a boolean)');
  assert.equal(describeValue(false), 'false (a boolean)');
  assert.equal(describeValue(['a']), 'a list');
  assert.equal(describeValue(10n), 'a bigint');
  assert.equal(describeValue('x'.repeat(60)), `"${'x'.repeat(60)}" (a string)`);
  assert.equal(describeValue('x'.repeat(61)), `"${'x'.repeat(60)}…" (a string)`);
  assert.equal(describeValue('a"b'), '"a\\"b" (a string)');
});

test('a mapping is a plain object: not a list, a date, binary data or nothing', () => {
  assert.equal(isMapping({}), true);
  assert.equal(isMapping({ a: 1 }), true);
  for (const value of [[], new Date(0), Buffer.from('x'), null, undefined, 'a', 1]) assert.equal(isMapping(value), false, String(value));
});
