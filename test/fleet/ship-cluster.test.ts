// A 3-node JetStream cluster with a 3-replica stream: the stream's leader is killed while the
// episode ships, a new leader takes over, and the archive still rebuilds the run dir exactly.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openNats } from '../../src/fleet/nats-client';
import { readManifest } from '../../src/orchestrator/manifest';
import { AgentServer } from '../../src/sim/agent-server';
import { assertArchived, assertStreamContiguous } from '../helpers/fleet';
import { freePort, startNatsNode, type NatsNode } from '../helpers/nats-server';
import { tempDir } from '../helpers/temp-dir';
import { runVmtel, startVmtel } from '../helpers/vmtel-process';
import { waitFor, withDeadline } from '../helpers/wait-for';

const NAMES = ['n1', 'n2', 'n3'];

function shippedOffset(runDir: string): number {
  const path = join(runDir, 'ship-checkpoint.json');
  if (!existsSync(path)) return 0;
  const checkpoint = JSON.parse(readFileSync(path, 'utf8')) as { files: Record<string, { offset: number }> };
  return checkpoint.files['telemetry-guest.jsonl']?.offset ?? 0;
}

test('3-node cluster, 3 replicas: the stream leader killed mid-episode', async (t) => {
  const dir = tempDir(t);
  const ports = await Promise.all(NAMES.map(() => freePort()));
  const clusterPorts = await Promise.all(NAMES.map(() => freePort()));
  const nodes: NatsNode[] = await Promise.all(
    NAMES.map((name, i) => startNatsNode(t, dir, { name, port: ports[i]!, cluster: { name: 'lab', port: clusterPorts[i]!, routePorts: clusterPorts } })),
  );
  const urls = nodes.map((node) => node.url);

  const runDir = join(dir, 'run');
  mkdirSync(runDir);
  const config = join(dir, 'vm.yaml');
  writeFileSync(
    config,
    `vm: vm-c\nepisode: ep1\nrun_dir: run\ncollectors:\n  guest_agent: {}\nship:\n  nats:\n    servers: [${urls.join(', ')}]\n    replicas: 3\n    drain_timeout_s: 30\n`,
  );
  const vmtel = startVmtel(t, ['run', '--config', config]);
  const agent = await AgentServer.listen(join(runDir, 'agent.sock'));
  t.after(() => agent.close());
  await withDeadline('vmtel to connect to agent.sock', agent.waitForClient(), 10_000);
  agent.serveRows({ ratePerSec: 2000 });
  // The cluster elects its meta leader after the routes form: until then vmtel stalls and retries.
  await waitFor('rows shipped to the 3-replica stream', () => shippedOffset(runDir) > 0, 30_000);

  const admin = await openNats({ servers: urls, auth: { kind: 'none' }, tls: null, clientName: 'test' });
  const info = await admin.jsm.streams.info('VMTEL');
  await admin.nc.close();
  assert.equal(info.config.num_replicas, 3);
  const leader = nodes.find((node) => node.name === info.cluster?.leader);
  assert.ok(leader !== undefined, `a leader among ${NAMES.join(', ')}: ${info.cluster?.leader}`);
  await leader.kill();
  const offsetAtKill = shippedOffset(runDir);
  await waitFor('shipping going on under a new leader', () => shippedOffset(runDir) > offsetAtKill + 100_000, 30_000);

  agent.silence();
  vmtel.child.kill('SIGTERM');
  assert.equal(await withDeadline('vmtel to stop', vmtel.exited, 40_000), 0, vmtel.stderr());
  assert.equal(readManifest(runDir)?.ship?.drained, true);

  const alive = nodes.filter((node) => node !== leader).map((node) => node.url);
  const archiveDir = join(dir, 'archive');
  const archived = await runVmtel(t, ['archive', '--servers', alive.join(','), '--into', archiveDir, '--once'], 40_000);
  assert.equal(archived.code, 0, archived.stderr);
  assertArchived(runDir, join(archiveDir, 'vm-c', 'ep1'), ['telemetry-guest.jsonl', 'events.jsonl', 'episode.json']);
  await assertStreamContiguous(alive, 'VMTEL');
});
