// A run dir may hold what another local user put there: the reader neither follows a link nor
// waits on a FIFO, and a line too long to be vmtel's is skipped and counted, not held in memory.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { forEachLine } from '../../src/run-dir';
import { tempDir } from '../helpers/temp-dir';

test('a symbolic link and a FIFO are refused with VMTEL_NOT_A_RUN_DIR, without blocking', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'real.jsonl'), '{"a":1}\n');
  symlinkSync(join(dir, 'real.jsonl'), join(dir, 'link.jsonl'));
  execFileSync('mkfifo', [join(dir, 'fifo.jsonl')]);
  await assert.rejects(forEachLine(join(dir, 'link.jsonl'), () => {}), { code: 'VMTEL_NOT_A_RUN_DIR', message: /is a symbolic link/ });
  await assert.rejects(forEachLine(join(dir, 'fifo.jsonl'), () => {}), { code: 'VMTEL_NOT_A_RUN_DIR', message: /not a regular file/ });
});

test('a line longer than 80 MiB is skipped and counted; the lines around it are read', async (t) => {
  const path = join(tempDir(t), 'rows.jsonl');
  const fd = openSync(path, 'w');
  writeSync(fd, '{"before":1}\n');
  const block = Buffer.alloc(1 << 20, 0x78);
  for (let i = 0; i < 81; i++) writeSync(fd, block);
  writeSync(fd, '\n{"after":2}\n');
  closeSync(fd);
  const lines: string[] = [];
  const totals = await forEachLine(path, (bytes, start, end) => lines.push(bytes.toString('utf8', start, end)));
  assert.deepEqual(lines, ['{"before":1}', '{"after":2}']);
  assert.deepEqual({ lines: totals.lines, oversizedLines: totals.oversizedLines, unterminatedBytes: totals.unterminatedBytes }, { lines: 2, oversizedLines: 1, unterminatedBytes: 0 });
});
