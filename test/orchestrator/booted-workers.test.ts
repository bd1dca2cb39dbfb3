// The collectors' workers boot before the run dir is taken (BootedWorkers): a start that is
// refused must end them, and must not have run a collector.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { LOCK_FILE } from '../../src/run-dir-files';
import { tempDir } from '../helpers/temp-dir';
import { withDeadline } from '../helpers/wait-for';

const REFUSED_START = join(__dirname, '..', 'fixtures', 'orchestrator', 'refused-start.js');

test('a start refused because the run dir is busy ends the workers booted for it and runs no collector', async (t) => {
  const runDir = tempDir(t);
  // This test's own process, alive, holds the run dir.
  writeFileSync(join(runDir, LOCK_FILE), `${process.pid}\n`, { mode: 0o640 });
  const child = spawn(process.execPath, [REFUSED_START, runDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => child.kill('SIGKILL'));
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const [code] = (await withDeadline('the refused start to end its process by itself', once(child, 'exit'), 20_000)) as [number | null];
  assert.equal(stdout, 'VMTEL_RUN_DIR_BUSY\n');
  assert.equal(code, 0);
  assert.deepEqual(readdirSync(runDir), [LOCK_FILE], 'nothing but the holder\'s lock is in the run dir');
});
