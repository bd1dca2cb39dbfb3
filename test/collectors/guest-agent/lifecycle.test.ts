// Every lifecycle event of a connection, against a real unix socket: what a silent, stalled,
// vanished or never-started agent leaves in events.jsonl, and the rows it leaves on disk.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agentRow } from '../../../src/sim/agent-server';
import { readJsonl, readLines } from '../../helpers/jsonl';
import { waitFor, withDeadline } from '../../helpers/wait-for';
import { eventFields, eventNames, logLines, startAgentPair } from './agent-harness';

test('no socket: guest_agent_connect_failed with a warning saying what is wrong, 0 rows, a clean finish', async (t) => {
  const { vmtel, socketPath } = await startAgentPair(t, { connect_timeout_s: 0.3 }, false);
  await withDeadline('the collector to give up connecting', vmtel.done, 3000);
  assert.deepEqual(eventFields(vmtel, 'guest_agent_connect_failed'), [
    { socket_path: socketPath, timeout_s: 0.3, last_error: 'ENOENT' },
  ]);
  const outcome = vmtel.outcome();
  assert.ok(outcome?.type === 'stopped');
  assert.equal(outcome.reason, 'connect_failed');
  assert.equal(outcome.counts.rows, 0);
  const warnings = vmtel.messages.filter((m) => m.type === 'log' && m.level === 'warn').map((m) => (m.type === 'log' ? m.message : ''));
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /^guest-agent: gave up after 0\.3 s: .*agent\.sock does not exist: QEMU has not created it yet .*\(-chardev socket,id=agent,path=.*agent\.sock,server=on,wait=off\)\. No guest rows will be written\.$/);
  assert.deepEqual(readJsonl(vmtel.outputPath), []);
});

test('a connection that stays silent, then talks, stalls, resumes and closes leaves each event once', async (t) => {
  const { vmtel, server, socketPath } = await startAgentPair(t, {
    silent_warn_after_s: 0.15,
    stall_warn_after_s: 0.15,
    reconnect: false,
  });
  await waitFor('guest_agent_silent_window', () => vmtel.events('guest_agent_silent_window').length === 1);
  await server!.send(agentRow(0, 10n, 20n));
  await waitFor('guest_agent_stalled', () => vmtel.events('guest_agent_stalled').length === 1);
  await server!.send(`${agentRow(1, 11n, 21n)}{"partial":`);
  await waitFor('guest_agent_resumed', () => vmtel.events('guest_agent_resumed').length === 1);
  server!.dropClient();
  await withDeadline('the collector to finish after the close', vmtel.done, 2000);

  assert.deepEqual(eventNames(vmtel), [
    'guest_agent_connected',
    'guest_agent_silent_window',
    'guest_agent_first_byte',
    'guest_agent_stalled',
    'guest_agent_resumed',
    // Two rows fill no envelope window, so the estimate is said once, at the end.
    'guest_agent_clock',
    'guest_agent_disconnected',
  ]);
  assert.deepEqual(eventFields(vmtel, 'guest_agent_connected'), [{ socket_path: socketPath }]);
  assert.deepEqual(eventFields(vmtel, 'guest_agent_silent_window'), [{ window_s: 0.15 }]);
  const [firstByte] = eventFields(vmtel, 'guest_agent_first_byte');
  assert.ok((firstByte!['wait_after_connect_s'] as number) >= 0.15, `first byte after ${firstByte!['wait_after_connect_s']} s`);
  const [stalled] = eventFields(vmtel, 'guest_agent_stalled');
  const [resumed] = eventFields(vmtel, 'guest_agent_resumed');
  assert.ok((stalled!['silent_s'] as number) >= 0.15);
  assert.ok((resumed!['silent_s'] as number) >= (stalled!['silent_s'] as number));
  assert.deepEqual(eventFields(vmtel, 'guest_agent_disconnected'), [
    { reason: 'peer_closed', rows: 2, partial_bytes_dropped: '{"partial":'.length },
  ]);
  // What the operator reads, each figure as its event gives it.
  assert.deepEqual(logLines(vmtel).filter((line) => / guest-agent: (connected|socket connected|first byte|no bytes|bytes again|disconnected)/.test(line)), [
    `info guest-agent: connected {"socket_path":${JSON.stringify(socketPath)}}`,
    "warn guest-agent: socket connected but no bytes after 0.15 s: the in-guest agent likely crashed or isn't writing to /dev/virtio-ports/cis490.guest.agent",
    `info guest-agent: first byte ${(firstByte!['wait_after_connect_s'] as number).toFixed(2)} s after connect`,
    `warn guest-agent: no bytes for ${(stalled!['silent_s'] as number).toFixed(1)} s after data had flowed`,
    `info guest-agent: bytes again after ${(resumed!['silent_s'] as number).toFixed(1)} s of silence`,
    'info guest-agent: disconnected {"reason":"peer_closed","rows":2}',
  ]);

  const outcome = vmtel.outcome();
  assert.ok(outcome?.type === 'stopped');
  assert.equal(outcome.reason, 'disconnected');
  assert.deepEqual(outcome.counts.dropped, { partial_line: 1 });
  const { longest_silence_ms: longestSilenceMs, ...stats } = outcome.counts.stats;
  assert.ok(longestSilenceMs! >= 150, `longest silence ${longestSilenceMs} ms`);
  // Every figure the kind reports is there, the ones that never moved at 0.
  assert.deepEqual(stats, { bytes_received: Buffer.byteLength(agentRow(0, 10n, 20n) + agentRow(1, 11n, 21n)) + 11, connects: 1, reconnects: 0, skipped_ticks: 0 });
  assert.deepEqual(
    readJsonl(vmtel.outputPath).map((row) => row['seq']),
    [0, 1],
  );
});

test('rows are stamped on the host timeline when read and keep the guest clock as sent', async (t) => {
  const { vmtel, server } = await startAgentPair(t);
  await server!.waitForClient();
  const beforeNs = vmtel.control.monoNs();
  await server!.send(agentRow(7, 1764234567890123457n, 1764234567999999999n) + agentRow(8, 1n, 2n));
  await waitFor('two rows on disk', () => readJsonl(vmtel.outputPath).length === 2);
  const afterNs = vmtel.control.monoNs();
  await vmtel.stop();

  const lines = readLines(vmtel.outputPath);
  assert.match(lines[0]!, /"t_guest_mono_ns":1764234567890123457,"t_guest_wall_ns":1764234567999999999,/);
  for (const line of lines) {
    const tMonoNs = BigInt(line.match(/"t_mono_ns":(\d+)/)![1]!);
    assert.ok(tMonoNs >= beforeNs && tMonoNs <= afterNs, `stamp ${tMonoNs} within [${beforeNs}, ${afterNs}]`);
    assert.equal(BigInt(line.match(/"t_wall_ns":(\d+)/)![1]!), vmtel.control.wallNsAt(tMonoNs));
  }
  assert.deepEqual(
    readJsonl(vmtel.outputPath).map((row) => [row['seq'], row['source'], row['available_in_deployment']]),
    [
      [7, 'guest_agent', true],
      [8, 'guest_agent', true],
    ],
  );
  assert.equal(eventFields(vmtel, 'guest_agent_disconnected')[0]!['reason'], 'stopped');
  assert.equal(eventNames(vmtel).includes('guest_agent_silent_window'), false);
});
