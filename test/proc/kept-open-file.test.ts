// A file kept open reads what is at its path now: procfs generates it anew on each read, a
// process that has gone reads as absent, a regular file replaced or removed at its path is
// opened again, and a file bigger than the first buffer comes whole.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { KeptOpenFile } from '../../src/proc/kept-open-file';
import { openFilesUnder } from '../helpers/fake-tree';
import { tempDir } from '../helpers/temp-dir';
import { withDeadline } from '../helpers/wait-for';

// Field 14 of /proc/PID/stat (utime, clock ticks), after the comm's closing parenthesis.
function utimeTicks(statText: string): number {
  return Number(statText.slice(statText.lastIndexOf(')') + 2).split(' ')[11]);
}


test('procfs: each read is generated anew from the one open file', () => {
  const stat = new KeptOpenFile(`/proc/${process.pid}/stat`);
  const first = stat.read();
  assert.ok(first !== null && first.startsWith(`${process.pid} (`), String(first));
  // Burn CPU until the kernel's count of it moves (a clock tick is 10 ms).
  const before = utimeTicks(first);
  let now = before;
  for (const deadline = Date.now() + 5000; now === before && Date.now() < deadline; ) {
    for (let i = 0; i < 1e6; i++) Math.sqrt(i);
    now = utimeTicks(stat.read() ?? '');
  }
  assert.ok(now > before, `utime stayed at ${before} ticks`);
  assert.deepEqual(openFilesUnder(`/proc/${process.pid}`), [`/proc/${process.pid}/stat`]);
  stat.close();
  assert.deepEqual(openFilesUnder(`/proc/${process.pid}`), []);
});

test('procfs: a process that has exited and been reaped reads as absent', async () => {
  const child = spawn(process.execPath, ['-e', 'process.stdin.resume()'], { stdio: ['pipe', 'ignore', 'inherit'] });
  const exited = once(child, 'exit');
  const stat = new KeptOpenFile(`/proc/${child.pid}/stat`);
  try {
    assert.match(stat.read() ?? '', new RegExp(`^${child.pid} \\(`));
    child.stdin.end();
    await withDeadline('the child to exit', exited);
    assert.equal(stat.read(), null);
  } finally {
    child.kill('SIGKILL');
    stat.close();
  }
});

test('a regular file replaced by a rename is read anew; removed, it is absent; back, it is read', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'counter');
  const file = new KeptOpenFile(path);
  t.after(() => file.close());
  assert.equal(file.read(), null);
  writeFileSync(path, '5000\n');
  assert.equal(file.read(), '5000\n');
  writeFileSync(`${path}.new`, '5600\n');
  renameSync(`${path}.new`, path);
  assert.equal(file.read(), '5600\n');
  rmSync(path);
  assert.equal(file.read(), null);
  writeFileSync(path, '7000\n');
  assert.equal(file.read(), '7000\n');
});

test('a file bigger than a page is read whole, every time', (t) => {
  const path = join(tempDir(t), 'big');
  const text = Array.from({ length: 3000 }, (_, i) => `line ${i}`).join('\n');
  writeFileSync(path, text);
  const file = new KeptOpenFile(path);
  t.after(() => file.close());
  assert.ok(text.length > 4 * 4096, `only ${text.length} bytes`);
  assert.equal(file.read(), text);
  assert.equal(file.read(), text);
});
