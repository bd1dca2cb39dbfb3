// The line of every key as a user counts lines, read from js-yaml's parser events: block
// and flow mappings, lists, bare keys, merged keys and the document root.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseYaml } from '../../src/config/key-lines';
import { formatKeyPath } from '../../src/config/key-path';

const YAML = [
  '# a comment first', // 1
  'vm: vm1', // 2
  'base: &base', // 3
  '  shared: 1', // 4
  'collectors:', // 5
  '  qmp:', // 6
  '    interval_ms: -5', // 7
  '    queries:', // 8
  '      - query-status', // 9
  '      - {name: x,', // 10
  '         arg: 2}', // 11
  '  guest_agent:', // 12
  '  "quoted": {a: 1, b: {c: 2}}', // 13
  '  merged:', // 14
  '    <<: *base', // 15
  '    own: 2', // 16
  '',
].join('\n');

test('every key maps to its own line, at any depth', () => {
  const { lines } = parseYaml(YAML);
  const cases: Array<[string[] | Array<string | number>, number | null]> = [
    [['vm'], 2],
    [['base', 'shared'], 4],
    [['collectors'], 5],
    [['collectors', 'qmp'], 6],
    [['collectors', 'qmp', 'interval_ms'], 7],
    [['collectors', 'qmp', 'queries'], 8],
    [['collectors', 'qmp', 'queries', 1, 'name'], 10],
    [['collectors', 'qmp', 'queries', 1, 'arg'], 11],
    [['collectors', 'guest_agent'], 12],
    [['collectors', 'quoted', 'b', 'c'], 13],
    [['collectors', 'merged', 'own'], 16],
  ];
  for (const [path, line] of cases) assert.equal(lines.lineOf(path), line, formatKeyPath(path));
});

test('a path without a key of its own takes its nearest ancestor line', () => {
  const { lines } = parseYaml(YAML);
  // A list item, a key merged in from an anchor, a key that is not there.
  assert.equal(lines.lineOf(['collectors', 'qmp', 'queries', 0]), 8);
  assert.equal(lines.lineOf(['collectors', 'merged', 'shared']), 14);
  assert.equal(lines.lineOf(['collectors', 'guest_agent', 'socket']), 12);
  assert.equal(lines.lineOf(['missing']), null);
  assert.equal(lines.lineOf([]), null);
});

test('the parsed data is what js-yaml returns, whatever the root is', () => {
  assert.deepEqual(parseYaml('a: {b: [1, 2]}\n').data, { a: { b: [1, 2] } });
  const scalar = parseYaml('just text\n');
  assert.equal(scalar.data, 'just text');
  assert.equal(scalar.lines.lineOf(['just text']), null);
  assert.equal(parseYaml('').data, undefined);
});

test('a flow entry without a value costs only its own line', () => {
  const { lines } = parseYaml('x: 1\nf: {a, b: 1}\n');
  assert.equal(lines.lineOf(['f', 'a']), 2);
  assert.equal(lines.lineOf(['f', 'b']), 2);
  assert.equal(lines.lineOf(['x']), 1);
});

test('key paths print as a user writes them', () => {
  assert.equal(formatKeyPath(['collectors', 'net', 'interfaces', 1]), 'collectors.net.interfaces[1]');
  assert.equal(formatKeyPath([]), '');
});

test('an empty key has a line of its own, and a path that is not there still finds none', () => {
  const { lines } = parseYaml('x: 1\n"": 2\n');
  assert.equal(lines.lineOf(['']), 2);
  assert.equal(lines.lineOf(['missing']), null);
  assert.equal(lines.lineOf([]), null);
});

test('a flow key at the very end of its line is on that line, not the next', () => {
  const { lines } = parseYaml('f: {a: 1, b\n  }\n');
  assert.equal(lines.lineOf(['f', 'b']), 1);
});

test('a key js-yaml gives no position (an empty tagged key) takes its parent line', () => {
  const { data, lines } = parseYaml('x: 0\na:\n  !!str : 2\n');
  assert.deepEqual(data, { x: 0, a: { '': 2 } });
  assert.equal(lines.lineOf(['a', '']), 2);
});
