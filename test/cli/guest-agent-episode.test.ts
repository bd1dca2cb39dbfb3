import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readManifest } from '../../src/orchestrator/manifest';
import { AgentServer } from '../../src/sim/agent-server';
import { readJsonl, readLines } from '../helpers/jsonl';
import { tempDir } from '../helpers/temp-dir';
import { startVmtel } from '../helpers/vmtel-process';
import { waitFor, withDeadline } from '../helpers/wait-for';

const ROWS = 5000;

test('vmtel run with only guest_agent records a fake agent stream end to end', async (t) => {
  const dir = tempDir(t);
  const runDir = join(dir, 'run');
  const config = join(dir, 'vm.yaml');
  writeFileSync(config, `vm: vm1\nepisode: ep1\nrun_dir: run\ncollectors:\n  guest_agent: {}\n`);
  // QEMU binds agent.sock in the run dir, as the launcher would; vmtel retries until it is there.
  mkdirSync(runDir);
  const vmtel = startVmtel(t, ['run', '--config', config]);
  const server = await AgentServer.listen(join(runDir, 'agent.sock'));
  t.after(() => server.close());
  await withDeadline('vmtel to connect to agent.sock', server.waitForClient(), 10_000);
  // A guest clock that started 42 s before the host's and runs 100 ppm fast, sent whole.
  await server.serveRows({ count: ROWS, ratePerSec: 20_000, offsetNs: 42_000_000_000n, driftPpm: 100 }).done;
  await waitFor('every row on disk', () => readLines(join(runDir, 'telemetry-guest.jsonl')).length === ROWS, 10_000);
  vmtel.child.kill('SIGTERM');
  assert.equal(await withDeadline('vmtel to stop', vmtel.exited, 5000), 0, vmtel.stderr());

  const lines = readLines(join(runDir, 'telemetry-guest.jsonl'));
  let previousMonoNs = -1n;
  lines.forEach((line, seq) => {
    const match = /^\{"t_mono_ns":(\d+),"t_wall_ns":(\d+),"source":"guest_agent","available_in_deployment":true,"t_guest_host_ns":(\d+),(.*)\}$/.exec(line);
    assert.ok(match !== null, `host head of row ${seq}: ${line}`);
    // The guest's part is exactly what the agent sent, its 19-digit clocks included.
    assert.match(match[4]!, new RegExp(`^"seq":${seq},"t_guest_mono_ns":\\d+,"t_guest_wall_ns":\\d{19},"cpu_pct":`));
    const monoNs = BigInt(match[1]!);
    assert.ok(monoNs >= previousMonoNs, `host stamps never go back (row ${seq})`);
    assert.ok(BigInt(match[3]!) <= monoNs, `row ${seq} was sampled before it was read`);
    previousMonoNs = monoNs;
  });
  const manifest = readManifest(runDir)!;
  assert.equal(manifest.collectors['guest_agent']?.rows, ROWS);
  assert.deepEqual(manifest.collectors['guest_agent']?.dropped, {});
  const events = readJsonl(join(runDir, 'events.jsonl')).map((e) => e['event']);
  for (const event of ['guest_agent_connected', 'guest_agent_first_byte', 'collector_stopped', 'episode_stopped']) {
    assert.ok(events.includes(event), `${event} in events.jsonl`);
  }
});
