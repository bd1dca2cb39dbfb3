#!/usr/bin/env node
// Runs every compiled test file with node's built-in runner. Node 20 has no globs for --test,
// and `node --test <dir>` would run test helpers as tests too, so the files are listed here.
// Tests that boot a real VM run separately (`npm run test:vm`).
'use strict';
const { readdirSync } = require('node:fs');
const { join, relative } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..');
const testRoot = join(root, 'dist', 'test');
const onlyVm = process.argv.includes('--vm');

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'helpers' || entry.name === 'fixtures' ? [] : findTests(path);
    return entry.name.endsWith('.test.js') ? [path] : [];
  });
}

const vmDir = join(testRoot, 'vm');
const files = findTests(testRoot)
  .filter((file) => file.startsWith(vmDir + '/') === onlyVm)
  .filter((file) => process.argv.slice(2).every((arg) => arg.startsWith('--') || relative(testRoot, file).includes(arg)))
  .sort();
if (files.length === 0) {
  console.error('no test files found under dist/test');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-timeout=120000', ...files], { stdio: 'inherit', cwd: root });
process.exit(result.status ?? 1);
