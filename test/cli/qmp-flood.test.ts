// A real `vmtel run` whose QEMU monitor sends events without end: vmtel's memory stays bounded,
// its main thread keeps rewriting the manifest and obeys SIGTERM within stop_grace_ms, the polls
// go on, and every event not recorded is counted in events_suppressed.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readManifest } from '../../src/orchestrator/manifest';
import { HostileQmpServer } from '../helpers/hostile-qmp-server';
import { readJsonl } from '../helpers/jsonl';
import { tempDir } from '../helpers/temp-dir';
import { startVmtel } from '../helpers/vmtel-process';
import { waitFor, withDeadline } from '../helpers/wait-for';

const STOP_GRACE_MS = 1000;
// Before the budget, 12 s of this flood grew vmtel to 1.2 GB; a bounded vmtel stays near its idle size.
const MAX_RSS_KB = 300 * 1024;

function rssKb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1]);
}

test('an endless QMP event stream: memory bounded, manifest rewritten, SIGTERM obeyed within stop_grace_ms, nothing uncounted', async (t) => {
  const dir = tempDir(t);
  const runDir = join(dir, 'run');
  mkdirSync(runDir);
  const config = join(dir, 'vm.yaml');
  writeFileSync(
    config,
    `vm: vm1\nepisode: ep1\nrun_dir: run\nstop_grace_ms: ${STOP_GRACE_MS}\ncollectors:\n  qmp:\n    interval_ms: 100\n    queries: [query-status]\n`,
  );
  const server = await HostileQmpServer.listen({ path: join(runDir, 'qmp.sock'), floodEvents: true });
  t.after(() => server.close());
  const vmtel = startVmtel(t, ['run', '--config', config]);
  const pid = vmtel.child.pid!;
  const manifestPath = join(runDir, 'episode.json');
  await waitFor('the flood under way', () => server.floodedEvents > 100_000, 15_000);
  const floodSeenAtMs = statSync(manifestPath).mtimeMs;
  let maxRssKb = 0;
  // Two rewrites after the flood began: the main thread is not starved by it.
  await waitFor(
    'two manifest rewrites during the flood',
    () => {
      maxRssKb = Math.max(maxRssKb, rssKb(pid));
      const manifest = readManifest(runDir);
      return statSync(manifestPath).mtimeMs > floodSeenAtMs + 4000 && (manifest?.collectors['qmp']?.stats['events'] ?? 0) > 0;
    },
    20_000,
    100,
  );
  assert.ok(maxRssKb < MAX_RSS_KB, `vmtel's RSS reached ${maxRssKb} kB under the flood`);

  vmtel.child.kill('SIGTERM');
  assert.equal(await withDeadline('vmtel to exit under the flood', vmtel.exited, STOP_GRACE_MS + 4000), 0, vmtel.stderr());

  const events = readJsonl(join(runDir, 'events.jsonl'));
  // Measured by vmtel's own stamps, from the signal's handling to the last event.
  const stamp = (name: string): number => Number(events.find((e) => e['event'] === name)?.['t_mono_ns']) / 1e6;
  const stopMs = stamp('episode_stopped') - stamp('stop_requested');
  assert.ok(stopMs < STOP_GRACE_MS, `the stop took ${Math.round(stopMs)} ms`);
  assert.ok(!events.some((e) => e['event'] === 'collector_unresponsive'), 'the qmp worker stopped by itself, within the grace');
  const summaries = events.filter((e) => e['event'] === 'events_suppressed' && e['source'] === 'qmp');
  assert.ok(summaries.length >= 2);
  const suppressed = summaries.reduce((sum, e) => sum + Object.values(e['counts'] as Record<string, number>).reduce((a, b) => a + b, 0), 0);
  const recorded = events.filter((e) => e['event'] === 'qmp_event').length;
  const manifest = readManifest(runDir)!;
  const qmp = manifest.collectors['qmp']!;
  assert.equal(qmp.stats['events_suppressed'], suppressed);
  assert.equal(qmp.stats['events'], recorded + suppressed, 'every event read was recorded or counted');
  const rows = readJsonl(join(runDir, 'telemetry-qmp.jsonl'));
  assert.ok(rows.length >= 10, `polls went on under the flood: ${rows.length} rows`);
  assert.equal(qmp.rows, rows.length);
  assert.equal(qmp.bytes, statSync(join(runDir, 'telemetry-qmp.jsonl')).size);
  assert.equal(manifest.status, 'stopped');
});
