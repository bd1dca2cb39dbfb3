// QEMU's async events reach events.jsonl with QEMU's own stamp beside the host's; SHUTDOWN or a
// closed socket ends the episode (stop_on_vm_exit), or the collector reconnects when told not to.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QmpServer } from '../../../src/sim/qmp-server';
import type { InThreadCollector } from '../../helpers/collector-in-thread';
import { readJsonl } from '../../helpers/jsonl';
import { waitFor, withDeadline } from '../../helpers/wait-for';
import { startQmpPair } from './qmp-fixture';

function qmpEvents(collector: InThreadCollector): string[] {
  return collector.events('qmp_event').map((event) => event.fields['qmp_event'] as string);
}

// The reason of a clean finish, or what the collector did instead.
function stoppedReason(collector: InThreadCollector): string {
  const outcome = collector.outcome();
  return outcome?.type === 'stopped' ? outcome.reason : `not stopped: ${JSON.stringify(outcome?.type)}`;
}

test('every QMP event is recorded with its data and QEMU timestamp as given and in ns', async (t) => {
  const { collector, server } = await startQmpPair(t);
  await waitFor('the session', () => server.hasClient);
  const beforeWallS = Math.floor(Date.now() / 1000);
  server.sendEvent('VSERPORT_CHANGE', { id: 'vmtel0', open: true });
  server.setRunning(false);
  server.setRunning(true);
  await waitFor('three events', () => collector.events('qmp_event').length === 3);
  assert.deepEqual(qmpEvents(collector), ['VSERPORT_CHANGE', 'STOP', 'RESUME']);
  const [vserport, stop] = collector.events('qmp_event');
  assert.deepEqual(vserport!.fields['data'], { id: 'vmtel0', open: true });
  assert.equal(stop!.fields['data'], undefined);
  const { seconds, microseconds } = vserport!.fields['qemu_timestamp'] as { seconds: number; microseconds: number };
  assert.ok(seconds >= beforeWallS && seconds <= beforeWallS + 5, `seconds ${seconds}`);
  assert.ok(Number.isInteger(microseconds) && microseconds < 1e6);
  assert.equal(vserport!.fields['qemu_time_ns'], BigInt(seconds) * 1_000_000_000n + BigInt(microseconds) * 1000n);
  assert.equal(typeof vserport!.tMonoNs, 'bigint');
});

test("QEMU's SHUTDOWN ends the episode and the collector", async (t) => {
  const { collector, server } = await startQmpPair(t);
  await waitFor('the session', () => server.hasClient);
  server.powerdown();
  await withDeadline('the collector to finish', collector.done);
  assert.deepEqual(qmpEvents(collector), ['POWERDOWN', 'SHUTDOWN']);
  assert.deepEqual(collector.events('qmp_event')[1]!.fields['data'], { guest: true, reason: 'guest-shutdown' });
  assert.deepEqual(
    collector.messages.filter((m) => m.type === 'end_episode'),
    [{ type: 'end_episode', reason: 'vm_shutdown' }],
  );
  assert.equal(stoppedReason(collector), 'vm_shutdown');
});

test('the QMP socket closing ends the episode when stop_on_vm_exit is set', async (t) => {
  const { collector, server } = await startQmpPair(t);
  await waitFor('the session', () => server.hasClient);
  server.dropClient();
  await withDeadline('the collector to finish', collector.done);
  assert.deepEqual(collector.events('qmp_disconnected').map((event) => event.fields), [{ reason: 'eof' }]);
  assert.deepEqual(
    collector.messages.filter((m) => m.type === 'end_episode'),
    [{ type: 'end_episode', reason: 'qmp_closed' }],
  );
});

test('with stop_on_vm_exit false the collector reconnects when QEMU comes back', async (t) => {
  const { collector, server, socketPath } = await startQmpPair(t, {}, { stop_on_vm_exit: false });
  await waitFor('a first row', () => readJsonl(collector.outputPath).length >= 1);
  await server.close();
  await waitFor('qmp_disconnected', () => collector.events('qmp_disconnected').length === 1);
  const again = await QmpServer.listen({ path: socketPath });
  t.after(() => again.close());
  const [reconnected] = await waitFor('qmp_reconnected', () => collector.events('qmp_reconnected').length > 0 && collector.events('qmp_reconnected'));
  assert.ok((reconnected!.fields['attempt'] as number) >= 1);
  assert.ok((reconnected!.fields['gap_s'] as number) > 0);
  assert.equal(collector.events('qmp_connected').length, 2);
  await waitFor('polls on the new connection', () => again.commands.includes('query-status'));
  await waitFor('rows on the new connection', () => readJsonl(collector.outputPath).length >= 2);
  assert.equal(collector.messages.filter((m) => m.type === 'end_episode').length, 0);
  await collector.stop();
  assert.equal(stoppedReason(collector), 'stopped');
});
