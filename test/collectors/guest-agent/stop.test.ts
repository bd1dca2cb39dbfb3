// A stop must end the collector at once wherever it is (connecting, waiting on a silent agent,
// reconnecting, reading a flood) and leave every row it had read on disk, whole.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { test } from 'node:test';
import { agentRow } from '../../../src/sim/agent-server';
import { readJsonl } from '../../helpers/jsonl';
import { waitFor, withDeadline } from '../../helpers/wait-for';
import type { InThreadCollector } from '../../helpers/collector-in-thread';
import { eventFields, startAgentPair } from './agent-harness';

// "At once": well under the orchestrator's grace period, on a loaded 2-core machine.
const STOP_WITHIN_MS = 500;

async function stopTimed(vmtel: InThreadCollector): Promise<number> {
  const startedMs = performance.now();
  await vmtel.stop();
  return performance.now() - startedMs;
}

function stoppedReason(vmtel: InThreadCollector): string | undefined {
  const outcome = vmtel.outcome();
  return outcome?.type === 'stopped' ? outcome.reason : undefined;
}

test('a stop while waiting for QEMU to bind the socket ends the retries at once', async (t) => {
  const { vmtel } = await startAgentPair(t, { connect_timeout_s: 30 }, false);
  await waitFor('a failed connect attempt', () => vmtel.messages.some((m) => m.type === 'log' && /attempt 1 failed/.test(m.message)));
  const elapsedMs = await stopTimed(vmtel);
  assert.ok(elapsedMs < STOP_WITHIN_MS, `stopped after ${elapsedMs.toFixed(0)} ms`);
  assert.equal(stoppedReason(vmtel), 'stopped');
  assert.deepEqual(vmtel.events('guest_agent_connect_failed'), []);
});

test('a stop while connected to a silent agent ends the connection at once', async (t) => {
  const { vmtel } = await startAgentPair(t);
  await waitFor('guest_agent_connected', () => vmtel.events('guest_agent_connected').length === 1);
  const elapsedMs = await stopTimed(vmtel);
  assert.ok(elapsedMs < STOP_WITHIN_MS, `stopped after ${elapsedMs.toFixed(0)} ms`);
  assert.equal(stoppedReason(vmtel), 'stopped');
  assert.deepEqual(eventFields(vmtel, 'guest_agent_disconnected'), [{ reason: 'stopped', rows: 0, partial_bytes_dropped: 0 }]);
});

test('a stop while reconnecting ends the backoff at once and marks the gap', async (t) => {
  const startedMs = performance.now();
  const { vmtel, server } = await startAgentPair(t);
  await server!.waitForClient();
  await server!.stopListening();
  await waitFor('a failed reconnect attempt', () => vmtel.messages.some((m) => m.type === 'log' && /attempt 1 failed/.test(m.message)));
  const elapsedMs = await stopTimed(vmtel);
  assert.ok(elapsedMs < STOP_WITHIN_MS, `stopped after ${elapsedMs.toFixed(0)} ms`);
  assert.equal(stoppedReason(vmtel), 'stopped');
  const [abandoned] = eventFields(vmtel, 'guest_agent_reconnect_abandoned');
  assert.ok((abandoned!['attempts'] as number) >= 1);
  // In seconds, and no longer than the test so far (the collector runs in this thread, on its clock).
  const gapS = abandoned!['gap_s'] as number;
  const testS = (performance.now() - startedMs) / 1000;
  assert.ok(gapS > 0 && gapS <= testS, `gap ${gapS} s in a test of ${testS} s`);
});

test('a stop under a flood ends at once with every row read so far on disk, whole and in order', async (t) => {
  const { vmtel, server } = await startAgentPair(t);
  const stream = server!.serveRows();
  await waitFor('4 MB of rows on disk', () => (statSync(vmtel.outputPath, { throwIfNoEntry: false })?.size ?? 0) > 4e6);
  const elapsedMs = await stopTimed(vmtel);
  assert.ok(elapsedMs < STOP_WITHIN_MS, `stopped after ${elapsedMs.toFixed(0)} ms`);

  const rows = readJsonl(vmtel.outputPath);
  const outcome = vmtel.outcome();
  assert.ok(outcome?.type === 'stopped');
  assert.equal(rows.length, outcome.counts.rows);
  assert.ok(rows.length > 10_000 && rows.length <= stream.sent, `${rows.length} rows of ${stream.sent} sent`);
  rows.forEach((row, i) => assert.equal(row['seq'], i));
  // At most the line the stop cut in half, whose bytes were only partly read.
  const { partial_line: partial = 0, ...otherDrops } = outcome.counts.dropped;
  assert.ok(partial <= 1);
  assert.deepEqual(otherDrops, {});
});

test('a stop reads the rows the kernel already holds before it closes the connection', async (t) => {
  const { vmtel, server } = await startAgentPair(t);
  const client = await server!.waitForClient();
  await waitFor('guest_agent_connected', () => vmtel.events('guest_agent_connected').length === 1);
  const rows = Array.from({ length: 100 }, (_, seq) => agentRow(seq, 10n + BigInt(seq), 20n)).join('');
  // The stop is posted to the collector before the rows reach its socket, so it is handled
  // first: the rows were sent before the collector let go of the connection, and must be kept.
  vmtel.control.requestStop();
  client.write(rows);
  await withDeadline('the collector to stop', vmtel.done, 2000);
  const onDisk = readJsonl(vmtel.outputPath);
  assert.deepEqual(onDisk.map((row) => row['seq']), Array.from({ length: 100 }, (_, seq) => seq));
  assert.deepEqual(eventFields(vmtel, 'guest_agent_disconnected'), [{ reason: 'stopped', rows: 100, partial_bytes_dropped: 0 }]);
});
