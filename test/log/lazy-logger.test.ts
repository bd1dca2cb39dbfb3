// `vmtel run`'s logger: nothing is created (no log file) until the first line, and from then on
// it is the real logger, closed as one.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { closeLogger } from '../../src/log/close-logger';
import { createLazyLogger } from '../../src/log/lazy-logger';
import { readJsonl } from '../helpers/jsonl';
import { tempDir } from '../helpers/temp-dir';

test('the lazy logger creates the real one at its first line and writes every line to the file', async (t) => {
  const runDir = tempDir(t);
  const logger = createLazyLogger({ level: 'error', runDir, terminal: false });
  assert.equal(existsSync(join(runDir, 'vmtel.log')), false);
  logger.info('first', { source: 'qmp' });
  logger.log({ level: 'warn', message: 'second' });
  await closeLogger(logger);
  const lines = readJsonl(join(runDir, 'vmtel.log'));
  assert.deepEqual(
    lines.map((l) => [l['level'], l['source'], l['message']]),
    [
      ['info', 'qmp', 'first'],
      ['warn', 'orchestrator', 'second'],
    ],
  );
});
