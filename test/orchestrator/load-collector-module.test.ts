import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { VmtelError } from '../../src/errors';
import { loadCollectorModule } from '../../src/orchestrator/load-collector-module';
import { tempDir } from '../helpers/temp-dir';

const BODY = `{ kind: 'mine', description: 'a user collector', options: {}, defaultAvailableInDeployment: false, async run() { return { reason: 'done' }; } }`;

test('a user collector loads as an ES module, as CommonJS, and as a default export', async (t) => {
  const dir = tempDir(t);
  const cases: Array<[string, string]> = [
    ['esm.mjs', `export const collector = ${BODY};\n`],
    ['cjs.js', `module.exports.collector = ${BODY};\n`],
    ['default.mjs', `export default ${BODY};\n`],
  ];
  for (const [file, source] of cases) {
    writeFileSync(join(dir, file), source);
    const definition = await loadCollectorModule(join(dir, file));
    assert.equal(definition.kind, 'mine', file);
    assert.deepEqual(await definition.run({} as never), { reason: 'done' }, file);
  }
});

test('a module without a collector, or one that does not load, is VMTEL_MODULE_INVALID', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'empty.mjs'), 'export const nothing = 1;\n');
  writeFileSync(join(dir, 'broken.js'), 'this is not javascript\n');
  await assert.rejects(loadCollectorModule(join(dir, 'empty.mjs')), (err: unknown) => {
    assert.ok(err instanceof VmtelError);
    assert.equal(err.code, 'VMTEL_MODULE_INVALID');
    assert.match(err.message, /exports no `collector` object/);
    return true;
  });
  await assert.rejects(loadCollectorModule(join(dir, 'broken.js')), /cannot load collector module .*broken\.js/);
});

test('an ES module with top-level await, which require() refuses, loads through import()', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'tla.mjs'), `await Promise.resolve();\nexport const collector = ${BODY};\n`);
  assert.equal((await loadCollectorModule(join(dir, 'tla.mjs'))).kind, 'mine');
});
