// vmtel run ships to one real nats-server and vmtel archive rebuilds the run dir, through the
// faults a host meets: servers down at the start, the archive killed, vmtel SIGKILLed with a
// checkpoint that lags the stream by more than the de-duplication window, refused credentials.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { readManifest } from '../../src/orchestrator/manifest';
import { AgentServer } from '../../src/sim/agent-server';
import { assertArchived, assertStreamContiguous } from '../helpers/fleet';
import { readJsonl } from '../helpers/jsonl';
import { freePort, startNatsNode } from '../helpers/nats-server';
import { tempDir } from '../helpers/temp-dir';
import { runVmtel, startVmtel } from '../helpers/vmtel-process';
import { waitFor, withDeadline } from '../helpers/wait-for';

const FILES = ['telemetry-guest.jsonl', 'events.jsonl', 'episode.json'];

interface ShipStatus {
  lag_bytes: number;
  lag_s: number | null;
  files: Record<string, number>;
}
const ROWS_PER_S = 2000;

function writeConfig(path: string, vm: string, nats: string): void {
  writeFileSync(path, `vm: ${vm}\nepisode: ep.1\nrun_dir: run\nstop_grace_ms: 2000\ncollectors:\n  guest_agent: {}\nship:\n  nats:\n${nats}`);
}

function eventsOf(runDir: string, event: string): Array<Record<string, unknown>> {
  const path = join(runDir, 'events.jsonl');
  return existsSync(path) ? readJsonl(path).filter((e) => e['event'] === event) : [];
}

/** vmtel run on `config` with rows flowing from a fake agent; the agent lives until the test ends. */
async function recordWithRows(t: TestContext, config: string, runDir: string, agent?: AgentServer) {
  mkdirSync(runDir, { recursive: true });
  const vmtel = startVmtel(t, ['run', '--config', config]);
  const server = agent ?? (await AgentServer.listen(join(runDir, 'agent.sock')));
  if (agent === undefined) t.after(() => server.close());
  await withDeadline('vmtel to connect to agent.sock', server.waitForClient(), 10_000);
  server.serveRows({ ratePerSec: ROWS_PER_S });
  return { vmtel, server };
}

async function archiveOnce(t: TestContext, url: string, archiveDir: string): Promise<void> {
  const archived = await runVmtel(t, ['archive', '--servers', url, '--into', archiveDir, '--once'], 30_000);
  assert.equal(archived.code, 0, archived.stderr);
  const check = await runVmtel(t, ['archive', '--servers', url, '--into', archiveDir, '--check']);
  assert.equal(check.code, 0, check.stdout + check.stderr);
  assert.match(check.stdout, /^complete: \d+ files/m);
}

test('servers down at the start and up later, a vm name with dots, the archive killed and restarted', async (t) => {
  const dir = tempDir(t);
  const runDir = join(dir, 'run');
  const port = await freePort();
  const url = `nats://127.0.0.1:${port}`;
  const config = join(dir, 'vm.yaml');
  writeConfig(config, 'lab.vm-1.a', `    servers: [${url}]\n    drain_timeout_s: 20\n`);
  const { vmtel, server } = await recordWithRows(t, config, runDir);

  await waitFor('ship_stalled while no server runs', () => eventsOf(runDir, 'ship_stalled').length > 0, 15_000);
  // vmtel status shows the backlog while nothing ships: bytes per file, and the oldest row's age.
  const shipStatus = async (): Promise<ShipStatus> => (JSON.parse((await runVmtel(t, ['status', '--run-dir', runDir, '--json'])).stdout) as { ship: ShipStatus }).ship;
  const stalled = await waitFor('status to show a backlog of over a second', async () => {
    const ship = await shipStatus();
    return ship.lag_s !== null && ship.lag_s > 1 ? ship : false;
  }, 15_000);
  assert.ok(stalled.files['telemetry-guest.jsonl']! > 0, JSON.stringify(stalled));
  assert.equal(stalled.lag_bytes, Object.values(stalled.files).reduce((sum, n) => sum + n, 0));
  await startNatsNode(t, dir, { name: 'n1', port });
  await waitFor('ship_resumed once the server is up', () => eventsOf(runDir, 'ship_resumed').length > 0, 15_000);
  const caughtUp = await waitFor('status to show the backlog shipped', async () => {
    const ship = await shipStatus();
    return ship.lag_s !== null && ship.lag_s < 1 ? ship : false;
  }, 15_000);
  assert.ok(caughtUp.lag_bytes < stalled.lag_bytes, JSON.stringify(caughtUp));

  const archiveDir = join(dir, 'archive');
  const archive = startVmtel(t, ['archive', '--servers', url, '--into', archiveDir]);
  const archivedRows = join(archiveDir, 'lab.vm-1.a', 'ep.1', 'telemetry-guest.jsonl');
  await waitFor('the archive to hold rows', () => existsSync(archivedRows) && statSync(archivedRows).size > 0, 15_000);
  archive.child.kill('SIGKILL');
  await withDeadline('the archive to die', archive.exited);

  server.silence();
  vmtel.child.kill('SIGTERM');
  assert.equal(await withDeadline('vmtel to stop', vmtel.exited, 30_000), 0, vmtel.stderr());
  assert.equal(readManifest(runDir)?.ship?.drained, true);

  await archiveOnce(t, url, archiveDir);
  const episodeDir = join(archiveDir, 'lab.vm-1.a', 'ep.1');
  assertArchived(runDir, episodeDir, FILES);
  assert.ok(readFileSync(join(episodeDir, 'events.jsonl'), 'utf8').includes('"event":"episode_stopped"'), 'episode_stopped shipped in the drain');
  assert.ok((await assertStreamContiguous([url], 'VMTEL')) > 1);

  // An archive that lost the end of a file: --check names it and fails.
  truncateSync(archivedRows, statSync(archivedRows).size - 10);
  const check = await runVmtel(t, ['archive', '--servers', url, '--into', archiveDir, '--check']);
  assert.equal(check.code, 1, check.stderr);
  assert.match(check.stdout, /^missing lab\.vm-1\.a\/ep\.1\/telemetry-guest\.jsonl: have \d+ of \d+ bytes$/m);
  assert.match(check.stderr, /\[VMTEL_ARCHIVE_INCOMPLETE\]/);
});

test('vmtel SIGKILLed mid-ship and restarted, its checkpoint older than the de-dup window: nothing stored twice', async (t) => {
  const dir = tempDir(t);
  const runDir = join(dir, 'run');
  const port = await freePort();
  const url = `nats://127.0.0.1:${port}`;
  await startNatsNode(t, dir, { name: 'n1', port });
  const config = join(dir, 'vm.yaml');
  writeConfig(config, 'vm2', `    servers: [${url}]\n    duplicate_window_s: 1\n`);
  const first = await recordWithRows(t, config, runDir);
  const checkpoint = join(runDir, 'ship-checkpoint.json');
  const early = join(dir, 'early-checkpoint.json');
  await waitFor('a first checkpoint', () => existsSync(checkpoint) && (copyFileSync(checkpoint, early), true), 10_000);
  await waitFor('more rows shipped after it', () => readFileSync(checkpoint, 'utf8') !== readFileSync(early, 'utf8'), 10_000);
  first.vmtel.child.kill('SIGKILL');
  await withDeadline('vmtel to die', first.vmtel.exited);
  // A crash between acks and checkpoint writes, as large as it gets: the stream holds chunks the
  // checkpoint does not know, and the de-dup window is over before the restart.
  copyFileSync(early, checkpoint);
  const killedAtMs = Date.now();
  await waitFor('the 1 s de-dup window to pass', () => Date.now() - killedAtMs > 1500, 5000, 100);

  const second = await recordWithRows(t, config, runDir, first.server);
  await waitFor('ship_resynced: the stream refused the replay', () => eventsOf(runDir, 'ship_resynced').length > 0, 15_000);
  second.server.silence();
  second.vmtel.child.kill('SIGTERM');
  assert.equal(await withDeadline('vmtel to stop', second.vmtel.exited, 30_000), 0, second.vmtel.stderr());

  const archiveDir = join(dir, 'archive');
  await archiveOnce(t, url, archiveDir);
  assertArchived(runDir, join(archiveDir, 'vm2', 'ep.1'), FILES);
  await assertStreamContiguous([url], 'VMTEL');
});

test('refused credentials: a clear error, recording unharmed, and vmtel ship delivers the episode later', async (t) => {
  const dir = tempDir(t);
  const runDir = join(dir, 'run');
  const port = await freePort();
  const url = `nats://127.0.0.1:${port}`;
  await startNatsNode(t, dir, { name: 'n1', port, auth: { user: 'host1', password: 'right' } });
  const config = join(dir, 'vm.yaml');
  writeConfig(config, 'vm3', `    servers: [${url}]\n    user: host1\n    password: wrong\n    drain_timeout_s: 1\n`);
  const { vmtel, server } = await recordWithRows(t, config, runDir);

  const stalled = await waitFor('ship_stalled', () => eventsOf(runDir, 'ship_stalled')[0], 15_000);
  assert.equal(stalled['code'], 'VMTEL_SHIP_REFUSED');
  const rowsAtStall = readFileSync(join(runDir, 'telemetry-guest.jsonl'), 'utf8').split('\n').length;
  await waitFor('rows still recorded after the refusal', () => readFileSync(join(runDir, 'telemetry-guest.jsonl'), 'utf8').split('\n').length > rowsAtStall + 1000, 10_000);
  server.silence();
  vmtel.child.kill('SIGTERM');
  assert.equal(await withDeadline('vmtel to stop', vmtel.exited, 15_000), 0, vmtel.stderr());
  assert.match(vmtel.stderr() + vmtel.stdout(), /refused|Authorization/i);
  const record = readManifest(runDir)?.ship;
  assert.equal(record?.drained, false);
  assert.ok((record?.unshipped_bytes['telemetry-guest.jsonl'] ?? 0) > 0, JSON.stringify(record));

  // A config problem of the fleet commands reads like any other: its line, exit 2.
  const broken = join(dir, 'broken.yaml');
  writeConfig(broken, 'vm3', `    servers: [${url}]\n    password: right\n`);
  const refused = await runVmtel(t, ['ship', '--run-dir', runDir, '--config', broken]);
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /^vmtel: .*broken\.yaml:10: ship\.nats\.password: expected user beside it, got no user \[VMTEL_CONFIG_INVALID\]$/m);

  const fixed = join(dir, 'fixed.yaml');
  writeConfig(fixed, 'vm3', `    servers: [${url}]\n    user: host1\n    password: right\n`);
  const shipped = await runVmtel(t, ['ship', '--run-dir', runDir, '--config', fixed], 30_000);
  assert.equal(shipped.code, 0, shipped.stderr);
  const archiveDir = join(dir, 'archive');
  const archive = startVmtel(t, ['archive', '--servers', url, '--into', archiveDir, '--once', '--user', 'host1'], { VMTEL_NATS_PASSWORD: 'right' });
  assert.equal(await withDeadline('the archive to catch up', archive.exited, 30_000), 0, archive.stderr());
  assertArchived(runDir, join(archiveDir, 'vm3', 'ep.1'), FILES);
});
