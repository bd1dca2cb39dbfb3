// The wording of "expected ..." for every kind of option spec, and what a value becomes once
// accepted: a copied list, an absolute path.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkInterpolated, checkValue, expectation } from '../../src/config/check-value';
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

test('the words for a number above an exclusive minimum, or with one bound, and a list whose items follow a rule', () => {
  const cases: Array<[OptionSpec, string]> = [
    [{ type: 'number', min: 1, exclusiveMin: true, doc }, 'a number greater than 1'],
    [{ type: 'number', min: 0, exclusiveMin: true, max: 5, unit: 'seconds', doc }, 'a positive number and at most 5 (seconds)'],
    [{ type: 'number', min: 2, doc }, 'a number of at least 2'],
    [{ type: 'number', min: 1, max: 5, doc }, 'a number from 1 to 5'],
    [{ type: 'number', max: 5, doc }, 'a number of at most 5'],
    [{ type: 'number', min: 1, doc }, 'a number of at least 1'],
    [{ type: 'string-list', item: { pattern: /^q/, doc: 'a q-word' }, doc }, 'a list of strings, each a q-word'],
    [{ type: 'path', relativeTo: 'config_dir', doc }, "a path (relative to the config file's folder)"],
  ];
  for (const [spec, words] of cases) assert.equal(expectation(spec), words, JSON.stringify(spec));
});

test('an exclusive minimum binds numbers only; an integer at its minimum is in range', () => {
  assert.equal(checkValue({ type: 'integer', min: 3, doc }, 3, bases).ok, true);
  assert.equal(checkValue({ type: 'number', min: 3, doc }, 3, bases).ok, true);
  assert.equal(checkValue({ type: 'number', min: 3, exclusiveMin: true, doc }, 3, bases).ok, false);
  assert.equal(checkValue({ type: 'number', max: 3, doc }, 3.0001, bases).ok, false);
});

test('strings: a choice with its close match, a pattern, a non-string; paths must not be empty', () => {
  const mode: OptionSpec = { type: 'string', oneOf: ['fast', 'slow'], doc };
  assert.deepEqual(checkValue(mode, 'fats', bases), { ok: false, message: 'expected one of fast, slow, got "fats" (a string); did you mean "fast"?' });
  assert.deepEqual(checkValue(mode, 'medium', bases), { ok: false, message: 'expected one of fast, slow, got "medium" (a string)' });
  assert.deepEqual(checkValue(mode, 'slow', bases), { ok: true, value: 'slow' });
  const word: OptionSpec = { type: 'string', pattern: /^[a-z]+$/, patternDoc: 'lower-case letters', doc };
  assert.deepEqual(checkValue(word, 'Abc', bases), { ok: false, message: 'expected a string (lower-case letters), got "Abc" (a string)' });
  assert.deepEqual(checkValue(word, 'abc', bases), { ok: true, value: 'abc' });
  assert.deepEqual(checkValue({ type: 'string', doc }, 5, bases), { ok: false, message: 'expected a string, got 5' });
  assert.deepEqual(checkValue({ type: 'path', relativeTo: 'run_dir', doc }, '', bases), { ok: false, message: 'expected a path (relative to the run directory), got "" (a string)' });
  assert.deepEqual(checkValue({ type: 'path', relativeTo: 'run_dir', doc }, 7, bases), { ok: false, message: 'expected a path (relative to the run directory), got 7' });
});

test('lists: not a list, or the first item that is not a string or breaks the items’ rule, by its place', () => {
  const names: OptionSpec = { type: 'string-list', item: { pattern: /^q/, doc: 'a q-word' }, doc };
  assert.deepEqual(checkValue(names, 'q1', bases), { ok: false, message: 'expected a list of strings, each a q-word, got "q1" (a string)' });
  assert.deepEqual(checkValue(names, ['q1', 'x', 3], bases), { ok: false, message: 'expected a list of strings, each a q-word, got a list whose item 2 is "x" (a string)' });
  assert.deepEqual(checkValue({ type: 'string-list', doc }, ['a', 3], bases), { ok: false, message: 'expected a list of strings, got a list whose item 2 is 3' });
  assert.deepEqual(checkValue(names, ['q1', 'qq'], bases), { ok: true, value: ['q1', 'qq'] });
});

test('a rule of its own (spec.check) runs on a value of the right type, and its words lead the message', () => {
  const even: OptionSpec = { type: 'integer', doc, check: (value) => ((value as number) % 2 === 0 ? null : 'an even integer') };
  assert.deepEqual(checkValue(even, 4, bases), { ok: true, value: 4 });
  assert.deepEqual(checkValue(even, 5, bases), { ok: false, message: 'expected an even integer, got 5' });
  assert.deepEqual(checkValue(even, 'x', bases), { ok: false, message: 'expected an integer, got "x" (a string)' });
});

test('a value from one whole ${VAR} is read as the type the key wants; from part of a value it stays text', () => {
  const interval: OptionSpec = { type: 'integer', min: 10, doc };
  const whole = { names: ['N'], whole: true };
  const part = { names: ['N', 'M'], whole: false };
  assert.deepEqual(checkInterpolated(interval, '500', whole, bases), { ok: true, value: 500 });
  assert.deepEqual(checkInterpolated(interval, ' 1e3 ', whole, bases), { ok: true, value: 1000 });
  assert.deepEqual(checkInterpolated({ type: 'number', doc }, '.5', whole, bases), { ok: true, value: 0.5 });
  assert.deepEqual(checkInterpolated({ type: 'boolean', doc }, 'false', whole, bases), { ok: true, value: false });
  assert.deepEqual(checkInterpolated({ type: 'boolean', doc }, 'true', whole, bases), { ok: true, value: true });
  assert.deepEqual(checkInterpolated(interval, '5', whole, bases), { ok: false, message: 'expected an integer of at least 10, got 5, from ${N}' });
  assert.deepEqual(checkInterpolated({ type: 'boolean', doc }, 'yes', whole, bases), { ok: false, message: 'expected true or false, got "yes" (a string), from ${N}' });
  assert.deepEqual(checkInterpolated(interval, '500', part, bases), {
    ok: false,
    message: 'expected an integer of at least 10, got "500" (a string), from ${N}, ${M}; a variable is read as an integer only when it is the whole value',
  });
  assert.deepEqual(checkInterpolated({ type: 'number', doc }, '1.5', part, bases), {
    ok: false,
    message: 'expected a number, got "1.5" (a string), from ${N}, ${M}; a variable is read as a number only when it is the whole value',
  });
  assert.deepEqual(checkInterpolated({ type: 'string', pattern: /^a$/, patternDoc: 'a', doc }, 'b', part, bases), {
    ok: false,
    message: 'expected a string (a), got "b" (a string), from ${N}, ${M}',
  });
  // A value typed in the file, or a string not from a variable, is checked as it is.
  assert.deepEqual(checkInterpolated(interval, '500', undefined, bases), { ok: false, message: 'expected an integer of at least 10, got "500" (a string)' });
});

test('number text from a whole ${VAR}: signs, fractions and exponents are numbers, anything around them is text', () => {
  const whole = { names: ['N'], whole: true };
  const number: OptionSpec = { type: 'number', doc };
  const numbers: Array<[string, number]> = [['-5', -5], ['+2', 2], ['1.25', 1.25], ['1.', 1], ['.25', 0.25], ['1e-3', 0.001], ['2E+2', 200], ['1e10', 1e10]];
  for (const [text, value] of numbers) assert.deepEqual(checkInterpolated(number, text, whole, bases), { ok: true, value }, text);
  for (const text of ['x500', '500x', '1e', '.', '--5', '1.2.3']) {
    assert.deepEqual(checkInterpolated(number, text, whole, bases), { ok: false, message: `expected a number, got ${JSON.stringify(text)} (a string), from \${N}` }, text);
  }
  assert.deepEqual(checkInterpolated({ type: 'integer', min: 10, doc }, '-5', whole, bases), { ok: false, message: 'expected an integer of at least 10, got -5, from ${N}' });
});

test('only numbers and booleans are read from a variable as such: a string key keeps "500" and "true" as text', () => {
  const whole = { names: ['N'], whole: true };
  assert.deepEqual(checkInterpolated({ type: 'string', doc }, '500', whole, bases), { ok: true, value: '500' });
  assert.deepEqual(checkInterpolated({ type: 'string', doc }, 'true', whole, bases), { ok: true, value: 'true' });
  assert.deepEqual(checkInterpolated({ type: 'boolean', doc }, 'x${N}', { names: ['N'], whole: false }, bases), {
    ok: false,
    message: 'expected true or false, got "x${N}" (a string), from ${N}; a variable is read as a boolean only when it is the whole value',
  });
});

test('the first item of a list can be the bad one; a number with an exclusive minimum but no minimum is just a number', () => {
  assert.deepEqual(checkValue({ type: 'string-list', doc }, [1, 'a'], bases), { ok: false, message: 'expected a list of strings, got a list whose item 1 is 1' });
  assert.equal(expectation({ type: 'number', exclusiveMin: true, doc }), 'a number');
});
