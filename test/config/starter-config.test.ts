// The starter config `vmtel init` writes, word for word: every comment in it is the doc of a key
// or of a collector kind, every value a default, so a change to any of them shows here and is
// made on purpose. After such a change, write the file again and read the diff:
//   node dist/src/cli/main.js init --vm vm7 --out test/fixtures/config/starter-vm7.yaml
// (the command refuses an existing file: remove it first).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { starterConfig } from '../../src/config/starter-config';

// Compiled tests run from dist/test/config; the fixture stays in the source tree.
const EXPECTED = readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'config', 'starter-vm7.yaml'), 'utf8');

test('the starter config of a VM is the reviewed text, line for line', () => {
  const lines = starterConfig('vm7').split('\n');
  const expected = EXPECTED.split('\n');
  lines.forEach((line, i) => assert.equal(line, expected[i], `line ${i + 1}`));
  assert.equal(lines.length, expected.length);
});

test("the VM's name is the only thing that changes from one VM to the next", () => {
  assert.equal(starterConfig('lab-3'), EXPECTED.replaceAll('vm7', 'lab-3'));
});
