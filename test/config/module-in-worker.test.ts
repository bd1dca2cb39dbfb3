// A user's module is the user's code: the config loader loads it in a worker to read its schema
// and check the entry's options there (custom checks included), never in its own thread.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/load-config';
import { problemsOf, writeConfig } from '../fixtures/config/config-file';

const HEAD = 'vm: vm1\nepisode: e1\n';

// Writes beside the config a module that leaves a mark file named after the thread it was loaded
// in, and whose `count` option has a custom check (even numbers only).
function writeModule(dir: string): string {
  const path = join(dir, 'marking.js');
  writeFileSync(
    path,
    `const { isMainThread } = require('node:worker_threads');
require('node:fs').writeFileSync(require('node:path').join(__dirname, isMainThread ? 'loaded-in-main' : 'loaded-in-worker'), '');
module.exports.collector = {
  kind: 'marking',
  description: 'a module that says which thread loaded it',
  defaultAvailableInDeployment: false,
  options: { count: { type: 'integer', default: 2, doc: 'an even count', check: (n) => (n % 2 === 0 ? null : 'an even number') } },
  async run() { return { reason: 'done' }; },
};
`,
  );
  return path;
}

test("a module is loaded in a worker, not in the loader's thread, and its options come back checked", async (t) => {
  const path = writeConfig(t, `${HEAD}collectors:\n  mine:\n    module: ./marking.js\n    count: 4\n`);
  const dir = dirname(path);
  const modulePath = writeModule(dir);
  const config = await loadConfig(path, { env: {} });
  assert.equal(existsSync(join(dir, 'loaded-in-worker')), true);
  assert.equal(existsSync(join(dir, 'loaded-in-main')), false);
  assert.equal(config.collectors[0]?.module, modulePath);
  assert.equal(config.collectors[0]?.kind, 'marking');
  assert.deepEqual(config.collectors[0]?.options, { count: 4 });
});

test("a module's custom check runs in its worker and its problem carries the key's line", async (t) => {
  const path = writeConfig(t, `${HEAD}collectors:\n  mine:\n    module: ./marking.js\n    count: 3\n`);
  writeModule(dirname(path));
  assert.deepEqual(await problemsOf(path), ['vm1.yaml:6: collectors.mine.count: expected an even number, got 3']);
  assert.equal(existsSync(join(dirname(path), 'loaded-in-main')), false);
});
