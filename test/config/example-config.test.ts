// config/example-vm.yaml is the users' reference: it must validate cleanly and show every
// top-level key and every option of every built-in kind, so a new option cannot go undocumented.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { load } from 'js-yaml';
import { BUILT_IN_KIND_NAMES, builtInKind } from '../../src/collectors/registry';
import { COLLECTOR_KEYS, RESTART_SCHEMA, TOP_LEVEL_SCHEMA } from '../../src/config/config-keys';
import { loadConfig } from '../../src/config/load-config';
import { defaultOptions } from '../../src/config/option-defaults';

// Compiled tests run from dist/test/config; the example stays in the source tree.
const EXAMPLE = join(__dirname, '..', '..', '..', 'config', 'example-vm.yaml');
const raw = load(readFileSync(EXAMPLE, 'utf8')) as Record<string, Record<string, unknown>>;

test('the example config validates cleanly, with no environment at all', async () => {
  const config = await loadConfig(EXAMPLE, { env: {} });
  assert.equal(config.vm, 'example-vm');
  assert.ok(config.collectors.every((collector) => collector.enabled));
});

test('the example shows every top-level key and every restart key', () => {
  for (const key of [...Object.keys(TOP_LEVEL_SCHEMA), 'run_dir', 'labels', 'restart', 'collectors']) assert.ok(key in raw, key);
  for (const key of Object.keys(RESTART_SCHEMA)) assert.ok(key in (raw['restart'] ?? {}), `restart.${key}`);
});

test('the example shows every key a collector entry takes, kind or module aside', () => {
  const shown = new Set(Object.values(raw['collectors'] ?? {}).flatMap((entry) => Object.keys(entry ?? {})));
  for (const key of Object.keys(COLLECTOR_KEYS).filter((key) => key !== 'module')) assert.ok(shown.has(key), key);
  assert.match(readFileSync(EXAMPLE, 'utf8'), /^# +module: /m);
});

for (const kind of BUILT_IN_KIND_NAMES) {
  test(`the example has a ${kind} entry showing every one of its options, at its default`, async () => {
    const definition = builtInKind(kind);
    assert.equal(definition?.kind, kind);
    const config = await loadConfig(EXAMPLE, { env: {} });
    const entry = config.collectors.find((collector) => collector.kind === kind);
    assert.ok(entry !== undefined, `no collector of kind ${kind} in the example`);
    const keys = Object.keys(raw['collectors']?.[entry.name] ?? {});
    const missing = Object.keys(definition.options).filter((option) => !keys.includes(option));
    assert.deepEqual(missing, [], `${kind} options missing from the example`);
    // The file says every option is shown at its default: a changed default must change it too.
    const defaults = defaultOptions(definition.options, { runDir: config.runDir, configDir: dirname(EXAMPLE) });
    for (const [option, value] of Object.entries(defaults)) assert.deepEqual(entry.options[option], value, `${kind}.${option}`);
  });
}
