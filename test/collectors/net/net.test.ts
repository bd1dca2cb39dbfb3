// The net collector on the real loopback interface (bytes sent over a TCP socket show up in its
// counters) and on interfaces that are missing, appear and vanish (a tree written by the test).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { collector, createNetCollector } from '../../../src/collectors/net';
import { startInThread } from '../../helpers/collector-in-thread';
import { openFilesUnder } from '../../helpers/fake-tree';
import { readJsonl } from '../../helpers/jsonl';
import { tempDir } from '../../helpers/temp-dir';
import { waitFor } from '../../helpers/wait-for';

const INTERVAL_MS = 20;
const PAYLOAD_BYTES = 1 << 20;
type Row = Record<string, unknown>;

test('lo counters grow by what the test sends over a loopback TCP socket', async (t) => {
  const net = startInThread(collector, { runDir: tempDir(t), options: { interface: 'lo', interval_ms: INTERVAL_MS }, flushMs: 10 });
  t.after(() => net.stop());
  const before = await waitFor('a first lo row', () => readJsonl(net.outputPath)[0]);

  const server = createServer((socket: Socket) => socket.resume());
  t.after(() => server.close());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
  t.after(() => client.destroy());
  await once(client, 'connect');
  client.end(Buffer.alloc(PAYLOAD_BYTES));
  await once(client, 'close');

  const rows = await waitFor('a row counting the payload', () => {
    const rows = readJsonl(net.outputPath);
    return (rows.at(-1)?.['rx_bytes'] as number) >= (before['rx_bytes'] as number) + PAYLOAD_BYTES && rows;
  });
  await net.stop();
  const [first, ...rest] = rows as [Row, ...Row[]];
  assert.equal(first['interface'], 'lo');
  assert.equal(first['rx_bytes_delta'], null);
  assert.equal(typeof first['operstate'], 'string');
  for (const name of ['tx_bytes', 'rx_packets', 'tx_packets', 'rx_errors', 'tx_dropped']) assert.equal(typeof first[name], 'number', name);
  const summed = rest.reduce((sum, row) => sum + (row['rx_bytes_delta'] as number), 0);
  assert.equal(summed, (rows.at(-1)?.['rx_bytes'] as number) - (first['rx_bytes'] as number));
  assert.ok(summed >= PAYLOAD_BYTES, `rx_bytes grew by ${summed}`);
  assert.deepEqual(net.events(), []);
});

test('a missing interface is reported once and writes no rows', async (t) => {
  const net = startInThread(collector, { runDir: tempDir(t), options: { interface: 'vt-nosuch0', interval_ms: INTERVAL_MS } });
  t.after(() => net.stop());
  await waitFor('the missing event', () => net.events('net_interface_missing').length === 1);
  // "Once" can only be seen over time: let five more ticks pass on the episode clock.
  const laterMonoNs = net.control.monoNs() + BigInt(5 * INTERVAL_MS) * 1_000_000n;
  await waitFor('five more ticks to pass', () => net.control.monoNs() >= laterMonoNs);
  await net.stop();
  assert.deepEqual(net.events().map((e) => [e.event, e.fields]), [['net_interface_missing', { interface: 'vt-nosuch0' }]]);
  assert.deepEqual(readJsonl(net.outputPath), []);
  assert.equal(net.outcome()?.type, 'stopped');
});

test('an interface that appears, vanishes and comes back: events in order, no delta across the gap', async (t) => {
  const sysClassNet = tempDir(t);
  const net = startInThread(createNetCollector(sysClassNet), {
    runDir: tempDir(t),
    options: { interface: 'tap0', interval_ms: INTERVAL_MS },
    flushMs: 10,
  });
  t.after(() => net.stop());
  const rowsWith = (rxBytes: number): Promise<Row[]> =>
    waitFor(`two rows with rx_bytes ${rxBytes}`, () => {
      const rows = readJsonl(net.outputPath).filter((row) => row['rx_bytes'] === rxBytes);
      return rows.length >= 2 && rows;
    });

  await waitFor('the missing event', () => net.events('net_interface_missing').length === 1);
  writeInterface(sysClassNet, 5000);
  const [appeared, second] = await rowsWith(5000);
  writeInterface(sysClassNet, 5600);
  await rowsWith(5600);
  rmSync(join(sysClassNet, 'tap0'), { recursive: true });
  await waitFor('the lost event', () => net.events('net_interface_lost').length === 1);
  writeInterface(sysClassNet, 7000);
  const [back] = await rowsWith(7000);
  await net.stop();

  assert.deepEqual(openFilesUnder(sysClassNet), []);
  assert.deepEqual(net.events().map((e) => e.event), ['net_interface_missing', 'net_interface_appeared', 'net_interface_lost', 'net_interface_appeared']);
  assert.equal(appeared?.['rx_bytes_delta'], null);
  assert.equal(second?.['rx_bytes_delta'], 0);
  assert.ok(readJsonl(net.outputPath).some((row) => row['rx_bytes_delta'] === 600));
  assert.equal(back?.['rx_bytes_delta'], null);
  assert.equal(back?.['operstate'], 'up');
});

// A fake /sys/class/net/tap0 with two counters and an operstate, put in place by renames so the
// collector never reads a half-written tree or file.
function writeInterface(sysClassNet: string, rxBytes: number): void {
  const staging = mkdtempSync(join(sysClassNet, '.staging-'));
  writeFileSync(join(staging, 'rx_bytes'), `${rxBytes}\n`);
  const statistics = join(sysClassNet, 'tap0', 'statistics');
  if (existsSync(statistics)) {
    renameSync(join(staging, 'rx_bytes'), join(statistics, 'rx_bytes'));
  } else {
    mkdirSync(join(staging, 'statistics'));
    renameSync(join(staging, 'rx_bytes'), join(staging, 'statistics', 'rx_bytes'));
    writeFileSync(join(staging, 'statistics', 'tx_bytes'), '0\n');
    writeFileSync(join(staging, 'operstate'), 'up\n');
    renameSync(staging, join(sysClassNet, 'tap0'));
  }
  rmSync(staging, { recursive: true, force: true });
}
