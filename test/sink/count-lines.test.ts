import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { countLines } from '../../src/sink/count-lines';
import { runUnderStrace } from '../helpers/strace';
import { tempDir } from '../helpers/temp-dir';
import { waitFor, withDeadline } from '../helpers/wait-for';

const COUNT_LINES = join(__dirname, '..', 'fixtures', 'sink', 'count-lines.js');
const openFds = (): number => readdirSync('/proc/self/fd').length;

test('lines and bytes of a file, across read blocks; zeros for a missing file', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'rows.jsonl');
  const line = `{"pad":"${'x'.repeat(1000)}"}\n`;
  writeFileSync(path, line.repeat(3000));
  assert.deepEqual(countLines(path), { lines: 3000, bytes: line.length * 3000 });
  assert.deepEqual(countLines(join(dir, 'missing.jsonl')), { lines: 0, bytes: 0 });
});

test('counting leaves no file descriptor open', (t) => {
  const path = join(tempDir(t), 'rows.jsonl');
  writeFileSync(path, '{}\n'.repeat(10));
  const before = openFds();
  assert.deepEqual(countLines(path), { lines: 10, bytes: 30 });
  assert.equal(openFds(), before);
});

// A live worker appends while the stop recounts its file: the count covers the bytes the file had
// when it was opened and the lines in them, never lines written after.
test('a file appended to while it is counted: the lines are those of the bytes reported', async (t) => {
  const path = join(tempDir(t), 'rows.jsonl');
  const line = `{"pad":"${'x'.repeat(90)}"}\n`;
  // Not a whole number of read blocks, so the last read is a short one.
  writeFileSync(path, line.repeat(40_000) + line.slice(0, 50));
  const appender = new Worker(
    `const { appendFileSync } = require('node:fs');
     const { workerData } = require('node:worker_threads');
     appendFileSync(workerData.path, workerData.rest);
     for (;;) appendFileSync(workerData.path, workerData.line);`,
    { eval: true, workerData: { path, line, rest: line.slice(50) } },
  );
  t.after(() => appender.terminate());
  await waitFor('the appender to start writing', () => readFileSync(path).length > line.length * 40_001);
  for (let i = 0; i < 5; i++) {
    const counted = countLines(path);
    const newlines = readFileSync(path).subarray(0, counted.bytes).reduce((n, byte) => n + (byte === 0x0a ? 1 : 0), 0);
    assert.equal(counted.lines, newlines, `run ${i}: ${counted.lines} lines counted in ${counted.bytes} bytes holding ${newlines}`);
  }
  await withDeadline('the appender to stop', appender.terminate(), 5000);
});

// strace makes the first read of the file return 0 bytes, as when the file was cut short after
// it was opened: the count stops there instead of asking again for ever.
test('a file that ends before its size at open (a read returns nothing) ends the count', async (t) => {
  const path = join(tempDir(t), 'rows.jsonl');
  writeFileSync(path, '{}\n'.repeat(10));
  const stdout = await runUnderStrace(t, ['-P', path, '-e', 'trace=pread64', '-e', 'inject=pread64:retval=0:when=1'], COUNT_LINES, [path]);
  assert.deepEqual(JSON.parse(stdout), { lines: 0, bytes: 30 });
});
