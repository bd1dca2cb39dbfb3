// Every QMP message the collector cannot use is counted under its own reason, and a poll the
// socket's close cut short is counted too: the counts say exactly what was lost and why.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { HostileQmpServer, type Answer } from '../../helpers/hostile-qmp-server';
import { readJsonl } from '../../helpers/jsonl';
import { tempDir } from '../../helpers/temp-dir';
import { waitFor } from '../../helpers/wait-for';
import { startQmpCollector } from './qmp-fixture';

async function pairAnswering(t: TestContext, answer: (command: string, n: number) => Answer) {
  const runDir = tempDir(t);
  const server = await HostileQmpServer.listen({ path: join(runDir, 'qmp.sock'), answer });
  t.after(() => server.close());
  // Reconnects after a close, so a cut poll is followed by more rows on the next connection.
  const collector = startQmpCollector(t, runDir, { queries: ['query-status'], stop_on_vm_exit: false });
  return { server, collector };
}

test('malformed, unknown and unmatched messages are each counted under their own reason, and every poll still makes its row', async (t) => {
  const { server, collector } = await pairAnswering(t, (command, n) => (command === 'query-status' && (n === 2 || n === 3) ? 'noise' : 'reply'));
  await waitFor('four rows, two of them after noise', () => readJsonl(collector.outputPath).length >= 4, 10_000);
  await collector.stop();
  const outcome = collector.outcome();
  assert.equal(outcome?.type, 'stopped');
  const { poll_cut_by_stop: cutByStop = 0, ...dropped } = outcome.counts.dropped;
  assert.deepEqual(dropped, { malformed_json: 2, unknown_message: 2, unmatched_reply: 2 });
  assert.equal(server.connections, 1, 'noise is no reason to reconnect');
  assert.equal(outcome.counts.rows, readJsonl(collector.outputPath).length);
  // A poll in flight when stop came has no row and is counted; every other made its row, noise or not.
  assert.equal(server.received('query-status'), outcome.counts.rows + cutByStop);
});

test('a poll cut short by the socket closing is counted as poll_cut_by_close, then the collector reconnects', async (t) => {
  const { server, collector } = await pairAnswering(t, (command, n) => (command === 'query-status' && n === 2 ? 'close' : 'reply'));
  await waitFor('rows after the reconnect', () => collector.events('qmp_reconnected').length === 1 && readJsonl(collector.outputPath).length >= 3, 10_000);
  await collector.stop();
  const outcome = collector.outcome();
  assert.equal(outcome?.type, 'stopped');
  const { poll_cut_by_stop: cutByStop = 0, ...dropped } = outcome.counts.dropped;
  assert.deepEqual(dropped, { poll_cut_by_close: 1 });
  assert.deepEqual(collector.events('qmp_disconnected').map((event) => event.fields), [{ reason: 'eof' }]);
  assert.equal(server.connections, 2);
  assert.equal(outcome.counts.rows, readJsonl(collector.outputPath).length);
  // Every poll but the cut one and one in flight when stop came (counted apart) made a row.
  assert.equal(server.received('query-status'), outcome.counts.rows + 1 + cutByStop);
});
