// The resolved config as `vmtel validate` prints it, character for character: every `$` doubled
// at any depth (so the text reads back as the same values, not as variables), scalars as they
// are, a list shared by two keys written out twice (no YAML anchors), long values on one line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderResolvedYaml } from '../../src/config/resolved-yaml';

test('dollars are doubled in strings at any depth; other values and shared lists are written as they are', () => {
  const shared = ['a'];
  const long = '/p'.repeat(60);
  const text = renderResolvedYaml({ text: 'x$y', list: ['$1', { b: '$$' }], none: null, count: 5, flag: false, first: shared, second: shared, long });
  assert.equal(
    text,
    ['text: x$$y', 'list:', '  - $$1', '  - b: $$$$', 'none: null', 'count: 5', 'flag: false', 'first:', '  - a', 'second:', '  - a', `long: ${long}`, ''].join('\n'),
  );
});

test('a long value with spaces stays on one line, where it can be copied', () => {
  const sentence = 'word '.repeat(30).trim();
  assert.equal(renderResolvedYaml({ note: sentence }), `note: ${sentence}\n`);
});
