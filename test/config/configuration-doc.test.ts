// docs/configuration.md must stay true to the code: a row for every key the loader knows, with
// the default and the bounds the code uses, and a link for every built-in kind.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BUILT_IN_KIND_NAMES } from '../../src/collectors/registry';
import { COLLECTOR_KEYS, RESTART_SCHEMA, TOP_LEVEL_SCHEMA } from '../../src/config/config-keys';
import type { OptionSchema } from '../../src/config/option-spec';

// Compiled tests run from dist/test/config; the docs stay in the source tree.
const DOC = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'configuration.md'), 'utf8');

/** The cells of the table row of `key`: type, default, meaning. */
function rowOf(key: string): string[] {
  const row = DOC.split('\n').find((line) => line.startsWith(`| \`${key}\` |`));
  assert.ok(row !== undefined, `no row for ${key}`);
  return row.split(' | ').slice(1);
}

// How the table writes a default: `required` when there is none, a string in code quotes, a number as is.
function defaultCellOf(value: unknown): string {
  if (value === undefined) return 'required';
  return typeof value === 'string' ? `\`${value}\`` : String(value);
}

const schemas: Array<[string, OptionSchema]> = [
  ['top level', TOP_LEVEL_SCHEMA],
  ['restart', RESTART_SCHEMA],
];
for (const [where, schema] of schemas) {
  test(`every ${where} key has a row with the code's default and bounds`, () => {
    for (const [key, spec] of Object.entries(schema)) {
      const [type = '', defaultCell = ''] = rowOf(key);
      assert.equal(defaultCell, defaultCellOf(spec.default), `${key} default`);
      if (spec.type === 'integer' && spec.min !== undefined && spec.max !== undefined) {
        assert.ok(type.includes(`${spec.min}..${spec.max}`), `${key} bounds: ${type}`);
      }
    }
  });
}

test('every key of a collector entry and run_dir, labels, restart, collectors have a row', () => {
  for (const key of [...Object.keys(COLLECTOR_KEYS), 'run_dir', 'labels', 'restart', 'collectors']) rowOf(key);
});

test('every built-in kind is named and linked', () => {
  for (const kind of BUILT_IN_KIND_NAMES) {
    assert.match(DOC, new RegExp(`\\[\`${kind}\`\\]\\(collectors/[a-z-]+\\.md\\)`), kind);
    assert.ok(rowOf('kind').join('|').includes(`\`${kind}\``), `${kind} in the kind row`);
  }
});
