// vmtel's own freeze is vmtel's: a real `vmtel run` recording a steady guest agent is stopped
// with SIGSTOP for 4 s and continued. The gap is recorded as vmtel_stalled with its length, never
// as the guest's stall, no collector is taken for blocked, and no row the agent sent is lost.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { readManifest } from '../../src/orchestrator/manifest';
import { AgentServer } from '../../src/sim/agent-server';
import { readJsonl } from '../helpers/jsonl';
import { tempDir } from '../helpers/temp-dir';
import { startVmtel } from '../helpers/vmtel-process';
import { waitFor, withDeadline } from '../helpers/wait-for';

// Longer than the guest's stall limit below and than a pulse's stall threshold (1 s + 2 s).
const STOPPED_MS = 4000;

test('SIGSTOP of vmtel for 4 s is vmtel_stalled with its length, not guest_agent_stalled, and no row is lost', async (t) => {
  const dir = tempDir(t);
  const runDir = join(dir, 'run');
  const config = join(dir, 'vm.yaml');
  writeFileSync(
    config,
    'vm: vm1\nepisode: ep1\nrun_dir: run\nunresponsive_after_ms: 3000\ncollectors:\n  guest_agent:\n    stall_warn_after_s: 2\n',
  );
  mkdirSync(runDir);
  const server = await AgentServer.listen(join(runDir, 'agent.sock'));
  t.after(() => server.close());
  const vmtel = startVmtel(t, ['run', '--config', config]);
  await withDeadline('vmtel to connect to agent.sock', server.waitForClient(), 10_000);
  const stream = server.serveRows({ ratePerSec: 200 });
  const rowsPath = join(runDir, 'telemetry-guest.jsonl');
  await waitFor('rows flowing', () => readJsonl(rowsPath).length >= 200, 10_000);

  vmtel.child.kill('SIGSTOP');
  // The length of the fault itself, not a wait for a state.
  await delay(STOPPED_MS);
  const sentWhileStopped = stream.sent;
  vmtel.child.kill('SIGCONT');
  const events = (): Array<Record<string, unknown>> => readJsonl(join(runDir, 'events.jsonl'));
  await waitFor('vmtel_stalled and rows past the freeze', () => events().some((e) => e['event'] === 'vmtel_stalled') && readJsonl(rowsPath).length > sentWhileStopped + 200, 10_000);
  server.silence();
  await stream.done;
  await waitFor('every row sent on disk', () => readJsonl(rowsPath).length === stream.sent, 10_000);
  vmtel.child.kill('SIGTERM');
  assert.equal(await withDeadline('vmtel to stop', vmtel.exited, 5000), 0, vmtel.stderr());

  const stalls = events().filter((e) => e['event'] === 'vmtel_stalled');
  assert.deepEqual(stalls.map((e) => e['source']), ['guest_agent']);
  const stalledS = stalls[0]!['stalled_s'] as number;
  assert.ok(stalledS >= STOPPED_MS / 1000 - 1 && stalledS <= STOPPED_MS / 1000 + 2, `stalled_s ${stalledS}`);
  assert.ok((stalls[0]!['since_t_mono_ns'] as number) < (stalls[0]!['t_mono_ns'] as number));
  const names = events().map((e) => e['event']);
  for (const blamed of ['guest_agent_stalled', 'collector_unresponsive', 'collector_failed']) assert.ok(!names.includes(blamed), `no ${blamed}`);
  const rows = readJsonl(rowsPath);
  assert.deepEqual(rows.map((row) => row['seq']), rows.map((_, i) => i), 'every row the agent sent, once, in order');
  const manifest = readManifest(runDir)!;
  assert.equal(manifest.collectors['guest_agent']?.rows, rows.length);
  assert.equal(manifest.collectors['guest_agent']?.bytes, readFileSync(rowsPath).length);
  const longestSilenceMs = manifest.collectors['guest_agent']?.stats['longest_silence_ms'] ?? Infinity;
  assert.ok(longestSilenceMs < 1500, `the guest's longest silence leaves vmtel's freeze out: ${longestSilenceMs} ms`);
});
