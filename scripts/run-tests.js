#!/usr/bin/env node
// Runs every compiled test file with node's built-in runner. Node 20 has no globs for --test,
// and `node --test <dir>` would run test helpers as tests too, so the files are listed here.
// Tests that boot a real VM run separately (`npm run test:vm`).
//
// A person reads the spec reporter (one line per test, failures repeated at the end, then the
// runner's own closing counts); tools read the TAP copy in dist/test-results.tap. The last line
// is always `N passed, N failed`, alone, for CI to match.
'use strict';
const { readdirSync, readFileSync } = require('node:fs');
const { join, relative } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..');
const testRoot = join(root, 'dist', 'test');
// VMTEL_TEST_TAP moves the copy: a test that runs this script must not overwrite the outer run's.
const tapFile = process.env.VMTEL_TEST_TAP ?? join(root, 'dist', 'test-results.tap');
const onlyVm = process.argv.includes('--vm');

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'helpers' || entry.name === 'fixtures' ? [] : findTests(path);
    return entry.name.endsWith('.test.js') ? [path] : [];
  });
}

// The runner's closing counts in the TAP copy: `# pass N`, `# fail N`; null when it never got there.
function closingCount(tap, name) {
  const match = new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tap);
  return match === null ? null : Number(match[1]);
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
const reporters = ['--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tapFile}`];
const result = spawnSync(process.execPath, ['--test', '--test-timeout=120000', ...reporters, ...files], { stdio: 'inherit', cwd: root });
let tap = '';
try {
  tap = readFileSync(tapFile, 'utf8');
} catch {
  // No TAP copy: the runner died before writing it; the counts below say so.
}
const passed = closingCount(tap, 'pass');
const failed = closingCount(tap, 'fail');
if (passed === null || failed === null) {
  console.log(`the test runner ended without its counts (exit ${result.status ?? result.signal}); see the output above`);
  console.log(`0 passed, 1 failed`);
  process.exit(1);
}
console.log(`\nTAP copy: ${relative(process.cwd(), tapFile)}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(result.status ?? 1);
