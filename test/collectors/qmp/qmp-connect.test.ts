// Reaching QEMU's monitor: the fake's handshake behaves like QEMU's, the collector negotiates and
// says which QEMU it met, retries while the socket is missing, gives up at connect_timeout_s, and
// stop ends the retries at once.
import assert from 'node:assert/strict';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { LineFramer } from '../../../src/collectors/unix-client/line-framer';
import { eachLine } from '../../../src/collectors/qmp/each-line';
import { QmpServer } from '../../../src/sim/qmp-server';
import { parseExactJson, type ExactJson } from '../../../src/sink/exact-json';
import { tempDir } from '../../helpers/temp-dir';
import { waitFor, withDeadline } from '../../helpers/wait-for';
import { startQmpCollector, startQmpPair } from './qmp-fixture';

interface RawClient {
  /** Every message received so far, parsed. */
  received: ExactJson[];
  /** Sends a command and waits for the next message: its reply. */
  ask(command: string, id: number): Promise<ExactJson>;
  destroy(): void;
}

// A fake QEMU in a fresh dir, and raw clients of it that see its bytes as they are.
async function fakeQemu(t: TestContext): Promise<{ server: QmpServer; connect(): RawClient }> {
  const path = join(tempDir(t), 'qmp.sock');
  const server = await QmpServer.listen({ path });
  t.after(() => server.close());
  const connect = (): RawClient => {
    const socket = createConnection({ path });
    t.after(() => socket.destroy());
    const received: ExactJson[] = [];
    const framer = new LineFramer(1 << 20, {
      onLines: (buf, start, end) => eachLine(buf, start, end, (line) => received.push(parseExactJson(line))),
      onOversized: () => assert.fail('the fake sent an oversized line'),
    });
    socket.on('data', (chunk: Buffer) => framer.push(chunk));
    const ask = (command: string, id: number): Promise<ExactJson> => {
      const before = received.length;
      socket.write(`${JSON.stringify({ execute: command, id })}\n`);
      return waitFor(`the reply to ${command}`, () => received.length > before && received[before]);
    };
    return { received, ask, destroy: () => socket.destroy() };
  };
  return { server, connect };
}

test('the fake greets, refuses commands before qmp_capabilities and refuses a second negotiation', async (t) => {
  const client = (await fakeQemu(t)).connect();
  const greeting = await waitFor('the greeting', () => client.received[0]);
  assert.deepEqual(greeting, {
    QMP: { version: { qemu: { major: 8, minor: 2, micro: 0 }, package: 'vmtel-sim' }, capabilities: ['oob'] },
  });
  assert.deepEqual(await client.ask('query-status', 1), {
    error: { class: 'CommandNotFound', desc: "Expecting capabilities negotiation with 'qmp_capabilities'" },
    id: 1,
  });
  assert.deepEqual(await client.ask('qmp_capabilities', 2), { return: {}, id: 2 });
  assert.deepEqual(await client.ask('query-status', 3), { return: { status: 'running', running: true }, id: 3 });
  assert.deepEqual(await client.ask('qmp_capabilities', 4), {
    error: { class: 'CommandNotFound', desc: 'Capabilities negotiation is already complete, command ignored' },
    id: 4,
  });
});

test('the collector negotiates first and reports the QEMU it met in qmp_connected', async (t) => {
  const { server, collector } = await startQmpPair(t);
  const [connected] = await waitFor('qmp_connected', () => collector.events('qmp_connected').length > 0 && collector.events('qmp_connected'));
  assert.deepEqual(connected!.fields, { attempts: 1, qemu_version: '8.2.0', qemu_package: 'vmtel-sim', capabilities: ['oob'] });
  await waitFor('a first poll', () => server.commands.includes('query-status'));
  assert.equal(server.commands[0], 'qmp_capabilities');
});

test('the collector retries until QEMU creates its socket', async (t) => {
  const runDir = tempDir(t);
  const collector = startQmpCollector(t, runDir);
  await waitFor('a failed connect attempt', () =>
    collector.messages.some((m) => m.type === 'log' && m.message.startsWith('the QMP socket: connect attempt 1 failed')),
  );
  const server = await QmpServer.listen({ path: join(runDir, 'qmp.sock') });
  t.after(() => server.close());
  const [connected] = await waitFor('qmp_connected', () => collector.events('qmp_connected').length > 0 && collector.events('qmp_connected'));
  assert.ok((connected!.fields['attempts'] as number) >= 2, `attempts: ${String(connected!.fields['attempts'])}`);
});

test('no socket within connect_timeout_s: qmp_connect_failed, then the collector fails with VMTEL_SOURCE_UNREACHABLE', async (t) => {
  const collector = startQmpCollector(t, tempDir(t), { connect_timeout_s: 0.2 });
  await withDeadline('the collector to give up', collector.done, 3000);
  const [failed] = collector.events('qmp_connect_failed');
  assert.ok(failed, 'qmp_connect_failed emitted');
  assert.match(String(failed.fields['error']), /qmp\.sock does not exist: QEMU has not created it yet/);
  assert.ok((failed.fields['waited_s'] as number) >= 0.2);
  const outcome = collector.outcome();
  assert.equal(outcome?.type, 'failed');
  assert.equal(outcome.type === 'failed' && outcome.error.code, 'VMTEL_SOURCE_UNREACHABLE');
});

test('stop ends the connect retries at once', async (t) => {
  const collector = startQmpCollector(t, tempDir(t));
  await waitFor('a failed connect attempt', () =>
    collector.messages.some((m) => m.type === 'log' && m.message.startsWith('the QMP socket: connect attempt 1 failed')),
  );
  const stopAskedMs = Date.now();
  await collector.stop(1000);
  assert.ok(Date.now() - stopAskedMs < 250, 'stopped within 250 ms');
  // Stopped while still waiting for the socket: nothing was connected, polled, written or dropped;
  // every figure the collector declares is there, at 0.
  const stats = { connects: 0, errors: 0, events: 0, missed_ticks: 0, polls: 0, replies: 0 };
  assert.deepEqual(collector.outcome(), { type: 'stopped', reason: 'stopped', counts: { rows: 0, bytes: 0, dropped: {}, stats } });
});

test('a second client gets no greeting until the first one leaves, as with QEMU', async (t) => {
  const { server, connect } = await fakeQemu(t);
  const first = connect();
  await waitFor('the first greeting', () => first.received.length === 1);
  const second = connect();
  await waitFor('the server to queue the second client', () => server.queuedClients === 1);
  assert.equal(server.greeted, 1);
  assert.equal(second.received.length, 0);
  first.destroy();
  await waitFor('the second client to be greeted', () => second.received.length === 1);
  assert.equal(server.greeted, 2);
});
