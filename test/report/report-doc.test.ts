// docs/report.md, config/example-vm.yaml and the loader must stay true to the rules and the
// thresholds the code uses: a row per rule, a row per threshold with its default, the example
// showing every threshold at its default, and a bad threshold refused with its line.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { load } from 'js-yaml';
import { ConfigError } from '../../src/config/config-error';
import { loadConfig } from '../../src/config/load-config';
import { REPORT_SCHEMA } from '../../src/config/report-keys';
import { RULES } from '../../src/report/verdict-rules';
import { tempDir } from '../helpers/temp-dir';

const ROOT = join(__dirname, '..', '..', '..');
const DOC = readFileSync(join(ROOT, 'docs', 'report.md'), 'utf8');

function rowOf(key: string): string[] {
  const row = DOC.split('\n').find((line) => line.startsWith(`| \`${key}\` |`));
  assert.ok(row !== undefined, `docs/report.md has no row for ${key}`);
  return row.split(' | ').slice(1);
}

test('docs/report.md has a row for every rule, saying what the code says, and no other rule', () => {
  for (const rule of RULES) assert.ok(rowOf(rule.name).join(' | ').replaceAll('**', '').replaceAll('`', '').includes(rule.doc.replace(/: (warning|unusable)$/, '').replaceAll('`', '')), rule.name);
  const table = DOC.slice(DOC.indexOf('| rule | fires when |'));
  const documented = [...table.slice(0, table.indexOf('\n\n')).matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]);
  assert.deepEqual(documented.sort(), RULES.map((r) => r.name).sort());
});

test('docs/report.md and the example config show every threshold with its default', () => {
  const example = load(readFileSync(join(ROOT, 'config', 'example-vm.yaml'), 'utf8')) as { report?: Record<string, unknown> };
  for (const [key, spec] of Object.entries(REPORT_SCHEMA)) {
    assert.equal(rowOf(key)[1], String(spec.default), `${key} default in docs/report.md`);
    assert.equal(example.report?.[key], spec.default, `report.${key} in config/example-vm.yaml`);
  }
});

test('a report threshold out of bounds or unknown is refused with its line', async (t) => {
  const path = join(tempDir(t), 'vm.yaml');
  writeFileSync(path, 'vm: vm1\nepisode: ep1\nreport:\n  max_gap_s: -1\n  max_gaps: 3\ncollectors:\n  host: {}\n');
  const err = await loadConfig(path, { env: {} }).then(() => null, (e: unknown) => e);
  assert.ok(err instanceof ConfigError);
  assert.deepEqual(err.problems.map((p) => [p.line, p.keyPath]), [[4, 'report.max_gap_s'], [5, 'report.max_gaps']]);
  assert.match(err.problems[1]!.message, /did you mean .*max_gap_s/);
});

test('the thresholds a config sets are recorded in its resolved form, defaults filled', async (t) => {
  const path = join(tempDir(t), 'vm.yaml');
  writeFileSync(path, 'vm: vm1\nepisode: ep1\nreport:\n  max_drift_ppm: 40\ncollectors:\n  host: {}\n');
  const config = await loadConfig(path, { env: {} });
  assert.deepEqual(config.resolved['report'], { ...Object.fromEntries(Object.entries(REPORT_SCHEMA).map(([k, s]) => [k, s.default])), max_drift_ppm: 40 });
});
