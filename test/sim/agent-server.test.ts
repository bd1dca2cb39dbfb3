// The fake QEMU agent socket is used by the guest_agent tests, the simulated VM and benchmarks:
// its own promises (one client at a time, rows at a rate, exact bytes, going away and coming
// back on the same path) are checked here with plain socket clients.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { AgentServer, guestElapsed } from '../../src/sim/agent-server';
import { tempDir } from '../helpers/temp-dir';
import { waitFor, withDeadline } from '../helpers/wait-for';

interface Client {
  socket: Socket;
  bytes: () => Buffer;
  received: () => string;
}

function client(t: TestContext, path: string): Client {
  const socket = connect(path);
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('error', () => undefined);
  t.after(() => socket.destroy());
  const bytes = (): Buffer => Buffer.concat(chunks);
  return { socket, bytes, received: () => bytes().toString('utf8') };
}

async function listen(t: TestContext): Promise<AgentServer> {
  const server = await AgentServer.listen(join(tempDir(t), 'a.sock'));
  t.after(() => server.close());
  return server;
}

function seqs(text: string): number[] {
  return text
    .split('\n')
    .slice(0, -1)
    .map((line) => (JSON.parse(line) as { seq: number }).seq);
}

test('serves one client at a time, like QEMU; the next waits until the first has gone', async (t) => {
  const server = await listen(t);
  const first = client(t, server.path);
  await withDeadline('the first client served', server.waitForClient());
  const second = client(t, server.path);
  await waitFor('the second client connected', () => second.socket.readyState === 'open');
  await server.send('{"to":"first"}\n');
  await waitFor('the row at the first client', () => first.received() === '{"to":"first"}\n');
  assert.equal(server.accepted, 1);

  server.dropClient();
  await waitFor('the second client served', () => server.accepted === 2);
  await server.send('{"to":"second"}\n');
  await waitFor('the row at the second client', () => second.received() === '{"to":"second"}\n');
  assert.equal(first.received(), '{"to":"first"}\n');
});

test('serves a counted stream at a rate, and seq continues in the next stream', async (t) => {
  const server = await listen(t);
  const reader = client(t, server.path);
  const stream = server.serveRows({ ratePerSec: 500, count: 20 });
  await withDeadline('20 rows at 500/s', stream.done, 2000);
  assert.equal(stream.sent, 20);
  await server.serveRows({ count: 5 }).done;
  await waitFor('25 rows at the client', () => reader.received().split('\n').length === 26);
  assert.deepEqual(seqs(reader.received()), Array.from({ length: 25 }, (_, i) => i));
  const row = JSON.parse(reader.received().split('\n')[0]!) as Record<string, unknown>;
  assert.deepEqual(Object.keys(row), ['seq', 't_guest_mono_ns', 't_guest_wall_ns', 'cpu_pct', 'mem_used_kib', 'procs']);
});

test('the guest clock runs with the configured drift and offset', () => {
  assert.equal(guestElapsed(1_000_000_000n, {}), 1_000_000_000n);
  assert.equal(guestElapsed(1_000_000_000n, { driftPpm: 50 }), 1_000_050_000n);
  assert.equal(guestElapsed(1_000_000_000n, { driftPpm: -50, offsetNs: -7n }), 999_949_993n);
});

test('sends exact bytes in cut writes; goes away (socket file gone) and comes back on the same path', async (t) => {
  const server = await listen(t);
  const first = client(t, server.path);
  const bytes = Buffer.from([0x7b, 0xff, 0x0a, 0xc3, 0xa9, 0x0a]);
  await server.send(bytes, [1, 4, 5]);
  await waitFor('every byte at the client', () => first.bytes().length === bytes.length);
  assert.deepEqual(first.bytes(), bytes);

  await server.stopListening();
  await waitFor('the client to see the close', () => first.socket.destroyed);
  assert.equal(existsSync(server.path), false);
  await server.relisten();
  const second = client(t, server.path);
  await withDeadline('a client on the relistening socket', server.waitForClient());
  await server.send('{"back":true}\n');
  await waitFor('the row after coming back', () => second.received() === '{"back":true}\n');
});
