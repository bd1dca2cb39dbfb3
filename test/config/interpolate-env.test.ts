// ${NAME} in config values, on parsed values directly: what replaces what, where each problem is
// placed, and which values remember the variables they came from (whole or in part).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { interpolateEnv, type EnvOrigins } from '../../src/config/interpolate-env';
import { KeyLines } from '../../src/config/key-lines';
import { ProblemList } from '../../src/config/problem-list';

const ENV = { A: 'alpha', B: 'beta', EMPTY: '' };

/** The interpolated value, its problems as `key: message`, and its origins. */
function interpolate(value: unknown) {
  const problems = new ProblemList('vm.yaml', new KeyLines());
  const origins: EnvOrigins = new Map();
  const result = interpolateEnv(value, ENV, [], problems, origins);
  return { result, problems: problems.toError().problems.map((p) => `${p.keyPath}: ${p.message}`), origins: Object.fromEntries(origins) };
}

test('a whole ${NAME}, several in one value, $$ as a literal $, and a $ that starts no name', () => {
  assert.deepEqual(interpolate({ a: '${A}', b: 'x${A}-${B}y', c: '${A}${A}', d: '$$', e: '$$$$B', f: 'cost: 5$', g: '$5 $ $-' }), {
    result: { a: 'alpha', b: 'xalpha-betay', c: 'alphaalpha', d: '$', e: '$$B', f: 'cost: 5$', g: '$5 $ $-' },
    problems: [],
    origins: { a: { names: ['A'], whole: true }, b: { names: ['A', 'B'], whole: false }, c: { names: ['A', 'A'], whole: false } },
  });
});

test('each malformed or empty reference is a problem on its value, which is left as written', () => {
  const { result, problems, origins } = interpolate({ a: '$A/x', b: 'runs/${A', c: '${ A }', d: '${1A}', e: '${NOPE}', f: '${EMPTY}', g: 'ok ${A}' });
  assert.deepEqual(result, { a: '$A/x', b: 'runs/${A', c: '${ A }', d: '${1A}', e: '${NOPE}', f: '${EMPTY}', g: 'ok alpha' });
  assert.deepEqual(problems, [
    'a: "$A" is not a reference: write ${A} for the variable, or $$ for a literal $',
    'b: unclosed "${" in "runs/${A": write ${NAME}',
    'c: invalid reference "${ A }": write ${A} without spaces',
    'd: invalid reference "${1A}": a name is letters, digits and _, not starting with a digit',
    'e: environment variable NOPE is not set',
    'f: environment variable EMPTY is set but empty',
  ]);
  assert.deepEqual(origins, { g: { names: ['A'], whole: false } });
});

test('lists and nested mappings are walked with their paths; keys and other scalars are never rewritten', () => {
  const { result, problems, origins } = interpolate({ list: ['${A}', 7, '${NOPE}'], deep: { '${A}': { b: '${B}' } }, n: 5, t: true, z: null });
  assert.deepEqual(result, { list: ['alpha', 7, '${NOPE}'], deep: { '${A}': { b: 'beta' } }, n: 5, t: true, z: null });
  assert.deepEqual(problems, ['list[2]: environment variable NOPE is not set']);
  assert.deepEqual(origins, { 'list[0]': { names: ['A'], whole: true }, 'deep.${A}.b': { names: ['B'], whole: true } });
});
