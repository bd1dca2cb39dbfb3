// `vmtel run`'s logger while its collectors start: nothing is created (no log file, no winston)
// until it is released, and then every held line is written, in order, with the time it was
// logged; anything else asked of it releases it first, so closing it loses nothing.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { closeLogger } from '../../src/log/close-logger';
import { createHeldLogger } from '../../src/log/held-logger';
import { readJsonl } from '../helpers/jsonl';
import { tempDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait-for';

const LOG = 'vmtel.log';

test('held lines are written at release, in order, stamped when they were logged', async (t) => {
  const runDir = tempDir(t);
  const { logger, release } = createHeldLogger({ level: 'error', runDir, terminal: false });
  logger.info('first', { source: 'qmp' });
  const firstLoggedAt = Date.now();
  logger.log({ level: 'warn', message: 'second', source: 'host', rows: 3 });
  // Lines logged a measurable time before the release must keep their own time.
  await waitFor('the clock to move on', () => Date.now() >= firstLoggedAt + 20, 1000);
  assert.equal(existsSync(join(runDir, LOG)), false);
  const releasedAt = Date.now();
  release();
  logger.error('third');
  await closeLogger(logger);
  const lines = readJsonl(join(runDir, LOG));
  assert.deepEqual(
    lines.map((l) => [l['level'], l['source'], l['message'], l['rows']]),
    [
      ['info', 'qmp', 'first', undefined],
      ['warn', 'host', 'second', 3],
      ['error', 'orchestrator', 'third', undefined],
    ],
  );
  const times = lines.map((l) => Date.parse(String(l['timestamp'])));
  assert.ok(times[0]! <= firstLoggedAt && times[1]! < releasedAt, `held lines stamped ${times.join(', ')}, released at ${releasedAt}`);
  assert.ok(times[2]! >= releasedAt);
});

test('closing a logger that was never released writes its held lines', async (t) => {
  const runDir = tempDir(t);
  const { logger } = createHeldLogger({ level: 'error', runDir, terminal: false });
  logger.warn('held until the close');
  await closeLogger(logger);
  assert.deepEqual(
    readJsonl(join(runDir, LOG)).map((l) => l['message']),
    ['held until the close'],
  );
});

test('a call form the holder does not know goes to winston at once, after the lines held before it', async (t) => {
  const runDir = tempDir(t);
  const { logger } = createHeldLogger({ level: 'error', runDir, terminal: false });
  logger.info('held');
  logger.log('warn', 'by level name');
  logger.info('direct');
  await closeLogger(logger);
  const again = createHeldLogger({ level: 'error', runDir, terminal: false });
  again.logger.error('with an error', new Error('its own message'));
  await closeLogger(again.logger);
  const lines = readJsonl(join(runDir, LOG));
  assert.deepEqual(
    lines.map((l) => l['message']),
    ['held', 'by level name', 'direct', 'with an error its own message'],
  );
  assert.match(String(lines[3]!['stack']), /its own message/);
});
