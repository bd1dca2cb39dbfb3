// The wording of "expected ..." for every kind of option spec, and what a value becomes once
// accepted: a copied list, an absolute path.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkValue, expectation } from '../../src/config/check-value';
import type { OptionSpec } from '../../src/config/option-spec';

const doc = 'test';
const bases = { runDir: '/run', configDir: '/cfg' };

test('each spec says in words what it accepts', () => {
  const cases: Array<[OptionSpec, string]> = [
    [{ type: 'integer', min: 1, unit: 'milliseconds', doc }, 'a positive integer (milliseconds)'],
    [{ type: 'integer', min: 0, doc }, 'a non-negative integer'],
    [{ type: 'integer', min: 10, unit: 'bytes', doc }, 'an integer of at least 10 (bytes)'],
    [{ type: 'integer', max: 9, doc }, 'an integer of at most 9'],
    [{ type: 'integer', min: 2, max: 9, doc }, 'an integer from 2 to 9'],
    [{ type: 'integer', doc }, 'an integer'],
    [{ type: 'number', min: 0, exclusiveMin: true, unit: 'seconds', doc }, 'a positive number (seconds)'],
    [{ type: 'number', min: 1, exclusiveMin: true, max: 5, doc }, 'a number greater than 1 and at most 5'],
    [{ type: 'number', min: 0, doc }, 'a non-negative number'],
    [{ type: 'boolean', doc }, 'true or false'],
    [{ type: 'string', doc }, 'a string'],
    [{ type: 'string', oneOf: ['a', 'b'], doc }, 'one of a, b'],
    [{ type: 'string', pattern: /^x+$/, doc }, 'a string (matching /^x+$/)'],
    [{ type: 'string-list', doc }, 'a list of strings'],
    [{ type: 'path', relativeTo: 'run_dir', doc }, 'a path (relative to the run directory)'],
  ];
  for (const [spec, words] of cases) assert.equal(expectation(spec), words, JSON.stringify(spec));
});

test('bounds are inclusive unless exclusiveMin says otherwise', () => {
  const integer: OptionSpec = { type: 'integer', min: 2, max: 9, doc };
  assert.deepEqual([1, 2, 9, 10].map((value) => checkValue(integer, value, bases).ok), [false, true, true, false]);
  const positive: OptionSpec = { type: 'number', min: 0, exclusiveMin: true, doc };
  assert.deepEqual([0, 0.001].map((value) => checkValue(positive, value, bases).ok), [false, true]);
  assert.deepEqual(checkValue({ type: 'integer', doc }, 2 ** 53, bases), { ok: false, message: `expected an integer, got ${2 ** 53}` });
  assert.deepEqual(checkValue({ type: 'number', doc }, Number.NaN, bases), { ok: false, message: 'expected a number, got NaN' });
});

test('accepted values: paths made absolute against their base, lists copied', () => {
  assert.deepEqual(checkValue({ type: 'path', relativeTo: 'run_dir', doc }, 'a/b', bases), { ok: true, value: '/run/a/b' });
  assert.deepEqual(checkValue({ type: 'path', relativeTo: 'config_dir', doc }, 'a', bases), { ok: true, value: '/cfg/a' });
  assert.deepEqual(checkValue({ type: 'path', relativeTo: 'config_dir', doc }, '/abs', bases), { ok: true, value: '/abs' });
  const list = ['x'];
  const checked = checkValue({ type: 'string-list', doc }, list, bases);
  assert.ok(checked.ok);
  assert.deepEqual(checked.value, ['x']);
  assert.notEqual(checked.value, list);
});

test('found values are described as the user wrote them', () => {
  const spec: OptionSpec = { type: 'boolean', doc };
  const found = (value: unknown) => (checkValue(spec, value, bases) as { message: string }).message.replace('expected true or false, got ', '');
  assert.equal(found('yes'), '"yes" (a string)');
  assert.equal(found(null), 'nothing');
  assert.equal(found([]), 'an empty list');
  assert.equal(found({ a: 1 }), 'a mapping');
  assert.equal(found(new Date('2024-01-02T00:00:00Z')), '2024-01-02T00:00:00.000Z (a date)');
  assert.equal(found('x'.repeat(100)), `"${'x'.repeat(60)}…" (a string)`);
});
