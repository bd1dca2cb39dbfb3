import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { closeLogger } from '../../src/log/close-logger';
import { createLogger, printable } from '../../src/log/logger';
import { readJsonl } from '../helpers/jsonl';
import { tempDir } from '../helpers/temp-dir';

test('vmtel.log gets every level as JSON, each line tagged with its source', async (t) => {
  const runDir = tempDir(t);
  const logger = createLogger({ level: 'error', runDir, terminal: false });
  logger.debug('from the orchestrator', { n: 1n << 60n });
  logger.warn('from a collector', { source: 'guest_agent' });
  await closeLogger(logger);
  const lines = readJsonl(join(runDir, 'vmtel.log'));
  assert.deepEqual(
    lines.map((l) => [l['level'], l['source'], l['message']]),
    [
      ['debug', 'orchestrator', 'from the orchestrator'],
      ['warn', 'guest_agent', 'from a collector'],
    ],
  );
  assert.equal(lines[0]!['n'], '1152921504606846976');
});

test('text with control characters reaches the terminal escaped', () => {
  assert.equal(printable('plain text'), 'plain text');
  assert.equal(printable('\u001b[2Jclear'), '"\\u001b[2Jclear"');
  assert.equal(printable({ a: 1n }), '{"a":"1"}');
});
