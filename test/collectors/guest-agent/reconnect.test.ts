// QEMU restarts and live migrations close the socket while the episode runs: the collector must
// come back by itself, say how long it was gone, and not hammer a socket that keeps dropping it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agentRow } from '../../../src/sim/agent-server';
import { readJsonl } from '../../helpers/jsonl';
import { waitFor } from '../../helpers/wait-for';
import { eventFields, eventNames, startAgentPair } from './agent-harness';

test('after QEMU goes away and comes back on the same path, the collector reconnects and reads on', async (t) => {
  const startedMs = performance.now();
  const { vmtel, server } = await startAgentPair(t);
  await server!.send(agentRow(0, 1n, 2n));
  await waitFor('the first row on disk', () => readJsonl(vmtel.outputPath).length === 1);
  await server!.stopListening();
  await waitFor('guest_agent_disconnected', () => vmtel.events('guest_agent_disconnected').length === 1);
  await waitFor('a failed reconnect attempt', () =>
    vmtel.messages.some((m) => m.type === 'log' && /^the guest agent socket: connect attempt \d+ failed: ENOENT/.test(m.message)),
  );
  await server!.relisten();
  await server!.send(agentRow(1, 3n, 4n));
  await waitFor('the row sent after the reconnect', () => readJsonl(vmtel.outputPath).length === 2);
  await vmtel.stop();

  assert.deepEqual(eventNames(vmtel), [
    'guest_agent_connected',
    'guest_agent_first_byte',
    'guest_agent_clock',
    'guest_agent_disconnected',
    'guest_agent_reconnected',
    'guest_agent_connected',
    'guest_agent_first_byte',
    'guest_agent_clock',
    'guest_agent_disconnected',
  ]);
  assert.deepEqual(
    eventFields(vmtel, 'guest_agent_disconnected').map((fields) => fields['reason']),
    ['peer_closed', 'stopped'],
  );
  const [reconnected] = eventFields(vmtel, 'guest_agent_reconnected');
  assert.ok((reconnected!['attempt'] as number) >= 2, `attempt ${reconnected!['attempt']}`);
  // In seconds, and no longer than the test so far (the collector runs in this thread, on its clock).
  const gapS = reconnected!['gap_s'] as number;
  const testS = (performance.now() - startedMs) / 1000;
  assert.ok(gapS > 0 && gapS <= testS, `gap ${gapS} s in a test of ${testS} s`);
  assert.deepEqual(
    readJsonl(vmtel.outputPath).map((row) => row['seq']),
    [0, 1],
  );
  const outcome = vmtel.outcome();
  assert.ok(outcome?.type === 'stopped');
  assert.equal(outcome.counts.stats['connects'], 2);
  assert.equal(outcome.counts.stats['reconnects'], 1);
});

test('a socket that accepts and drops every connection is retried with backoff, not in a loop', async (t) => {
  const { vmtel, server } = await startAgentPair(t);
  const startedMs = performance.now();
  for (let served = 1; served <= 3; served++) {
    await waitFor(`connection ${served}`, () => server!.accepted === served, 5000);
    server!.dropClient();
  }
  const elapsedMs = performance.now() - startedMs;
  // Quiet connections back off: 0.5 s before the second, 1 s before the third.
  assert.ok(elapsedMs >= 1400, `three connect-and-drop cycles took only ${elapsedMs.toFixed(0)} ms`);
  await waitFor('the third disconnect', () => vmtel.events('guest_agent_disconnected').length === 3);
  assert.deepEqual(
    eventFields(vmtel, 'guest_agent_reconnected').map((fields) => fields['attempt']),
    [1, 1],
  );
});

test('the longest silence is the longest of every connection, not the last one’s', async (t) => {
  const { vmtel, server } = await startAgentPair(t, { stall_warn_after_s: 0.3 });
  await server!.send(agentRow(0, 1n, 2n));
  await waitFor('the stall of the first connection', () => vmtel.events('guest_agent_stalled').length === 1);
  await server!.send(agentRow(1, 3n, 4n));
  await waitFor('the second row on disk', () => readJsonl(vmtel.outputPath).length === 2);
  server!.dropClient();
  await waitFor('the second connection', () => server!.accepted === 2);
  await server!.send(agentRow(2, 5n, 6n));
  await waitFor('the third row on disk', () => readJsonl(vmtel.outputPath).length === 3);
  await vmtel.stop();
  const [resumed] = eventFields(vmtel, 'guest_agent_resumed');
  const longestMs = vmtel.outcome()?.counts.stats['longest_silence_ms'];
  // The first connection's silence, as its resumed event measured it (in µs; the stat in whole ms).
  const resumedMs = (resumed!['silent_s'] as number) * 1000;
  assert.ok(resumedMs - longestMs! > -1e-6 && resumedMs - longestMs! < 1, `longest ${longestMs} ms, resumed after ${resumedMs} ms`);
  assert.ok(longestMs! >= 300);
});
