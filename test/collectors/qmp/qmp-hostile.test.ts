// The qmp collector against a QEMU monitor that misbehaves: a reply that never comes, a reply
// line of 50 MiB, a monitor that falls silent, and events without end. Each time the poll goes
// on, every row on disk is whole, and what was lost is an event and a count.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { qmpOptions } from '../../../src/collectors/qmp/options';
import { EVENT_BURST, EVENTS_PER_S } from '../../../src/orchestrator/event-budget';
import { HostileQmpServer, type HostileQmpOptions } from '../../helpers/hostile-qmp-server';
import { readJsonl } from '../../helpers/jsonl';
import { tempDir } from '../../helpers/temp-dir';
import { waitFor } from '../../helpers/wait-for';
import { startQmpCollector } from './qmp-fixture';

// Long enough that an answered poll never times out on a loaded host, short enough for a quick test.
const REPLY_TIMEOUT_MS = 1000;

async function hostilePair(t: TestContext, options: Omit<HostileQmpOptions, 'path'>, replyTimeoutMs = REPLY_TIMEOUT_MS) {
  const runDir = tempDir(t);
  const server = await HostileQmpServer.listen({ path: join(runDir, 'qmp.sock'), ...options });
  t.after(() => server.close());
  const collector = startQmpCollector(t, runDir, { queries: ['query-status'], reply_timeout_ms: replyTimeoutMs });
  return { server, collector };
}

function finalCounts(collector: ReturnType<typeof startQmpCollector>) {
  const outcome = collector.outcome();
  assert.equal(outcome?.type, 'stopped');
  return outcome.counts;
}

test('a lost reply is qmp_reply_timeout and a reconnect, and the poll goes on, with stop_on_vm_exit', async (t) => {
  const { server, collector } = await hostilePair(t, { answer: (command, n) => (command === 'query-status' && n === 3 ? 'lose' : 'reply') });
  await waitFor('rows after the reconnect', () => collector.events('qmp_reconnected').length === 1 && readJsonl(collector.outputPath).length >= 5, 10_000);
  await collector.stop();
  const timeouts = collector.events('qmp_reply_timeout');
  assert.deepEqual(timeouts.map((event) => event.fields), [{ command: 'query-status', timeout_ms: REPLY_TIMEOUT_MS }]);
  assert.deepEqual(collector.events('qmp_disconnected').map((event) => event.fields), [{ reason: 'reply_timeout' }]);
  assert.equal(server.connections, 2);
  assert.ok(!collector.messages.some((m) => m.type === 'end_episode'), 'a lost reply does not end the episode');
  const rows = readJsonl(collector.outputPath);
  const reconnectedNs = BigInt(collector.events('qmp_reconnected')[0]!.tMonoNs);
  assert.ok(rows.some((row) => BigInt(row['t_mono_ns'] as number) > reconnectedNs), 'rows after the reconnect');
  const counts = finalCounts(collector);
  assert.equal(counts.dropped['poll_reply_timeout'], 1);
  assert.equal(counts.rows, rows.length);
  assert.equal(counts.stats['polls'], rows.length, 'one row per answered poll');
});

test('a 50 MiB reply line is dropped, counted and resynced on the same connection', async (t) => {
  // The default reply timeout: reading 50 MiB on a loaded host may take longer than a short one,
  // and the oversized line must be what gives the poll up, not the timeout.
  const { server, collector } = await hostilePair(
    t,
    { answer: (command, n) => (command === 'query-status' && n === 2 ? 'oversized' : 'reply') },
    qmpOptions.reply_timeout_ms.default,
  );
  await waitFor('three rows after the oversized line', () => collector.events('qmp_reply_dropped').length === 1 && readJsonl(collector.outputPath).length >= 4, 10_000);
  await collector.stop();
  assert.deepEqual(
    collector.events('qmp_reply_dropped').map((event) => event.fields),
    [{ reason: 'oversized_line', command: 'query-status', max_line_bytes: 16 * 1024 * 1024 }],
  );
  assert.equal(server.connections, 1, 'no reconnect');
  assert.deepEqual(collector.events('qmp_reply_timeout'), []);
  const counts = finalCounts(collector);
  assert.equal(counts.dropped['oversized_line'], 1);
  assert.equal(counts.dropped['poll_reply_oversized'], 1);
  assert.equal(counts.rows, readJsonl(collector.outputPath).length);
  // A poll in flight when the stop came is cut by the close and counted, never lost silently.
  const cutByStop = counts.dropped['poll_cut_by_stop'] ?? 0;
  assert.ok(cutByStop <= 1, `at most the one poll in flight at the stop is cut, not ${cutByStop}`);
  assert.equal(server.received('query-status'), counts.rows + 1 + cutByStop, 'every poll but the lost one made a row or was cut by the stop');
});

test('a monitor that falls silent is timed out and reconnected again and again, and stop is prompt', async (t) => {
  const { server, collector } = await hostilePair(t, { answer: (command, n) => (command === 'query-status' && n >= 3 ? 'hang' : 'reply') });
  await waitFor('two silent connections timed out', () => collector.events('qmp_reply_timeout').length >= 2, 10_000);
  await collector.stop(1000);
  assert.ok(server.connections >= 2);
  assert.equal(readJsonl(collector.outputPath).length, 2, 'the two answered polls');
  assert.equal(finalCounts(collector).dropped['poll_reply_timeout'], collector.events('qmp_reply_timeout').length);
});

test('events without end: each QMP event name has its budget, the rest is counted per name, a rare event still passes, the poll goes on', async (t) => {
  const { server, collector } = await hostilePair(t, { floodEvents: true });
  const startedMs = performance.now();
  await waitFor(
    'the rare event, a flood suppressed and rows under it',
    () => server.floodedEvents > 100_000 && collector.events('events_suppressed').length >= 2 && readJsonl(collector.outputPath).length >= 10,
    15_000,
  );
  await collector.stop(2000);
  const elapsedS = (performance.now() - startedMs) / 1000;
  const recorded = collector.events('qmp_event').map((event) => event.fields['qmp_event']);
  for (const name of ['RTC_CHANGE', 'BALLOON_CHANGE']) {
    const posted = recorded.filter((recordedName) => recordedName === name).length;
    assert.ok(posted <= EVENT_BURST + EVENTS_PER_S * elapsedS + 1, `${posted} ${name} posted in ${elapsedS} s`);
  }
  assert.deepEqual(recorded.filter((name) => name === 'STOP'), ['STOP'], 'the one STOP among 100,000 flood events is recorded');
  const summaries = collector.events('events_suppressed').map((event) => event.fields as { counts: Record<string, number>; total: number });
  const suppressed = summaries.reduce((sum, summary) => sum + Object.values(summary.counts).reduce((a, b) => a + b, 0), 0);
  const keys = new Set(summaries.flatMap((summary) => Object.keys(summary.counts)));
  assert.deepEqual([...keys].sort(), ['qmp_event:BALLOON_CHANGE', 'qmp_event:RTC_CHANGE']);
  const counts = finalCounts(collector);
  assert.equal(counts.stats['events_suppressed'], suppressed);
  assert.equal(counts.stats['events'], recorded.length + suppressed, 'every QMP event read was posted or counted as suppressed');
  assert.ok(server.floodedEvents >= counts.stats['events']!);
  assert.equal(counts.rows, readJsonl(collector.outputPath).length);
});
