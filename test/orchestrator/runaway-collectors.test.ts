// Runaway collectors in real worker threads: one that allocates without bound, one stuck in a busy
// loop, one whose thread dies with rows it never reported. Each is an event with its own code, is
// restarted like any failure, and leaves a manifest whose counts equal its file.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runEpisode } from '../../src/orchestrator/episode';
import { readManifest } from '../../src/orchestrator/manifest';
import { testEpisodeConfig } from '../helpers/episode-config';
import { readJsonl } from '../helpers/jsonl';
import { quietLogger } from '../helpers/quiet-logger';
import { tempDir } from '../helpers/temp-dir';

const named = (runDir: string, event: string) => readJsonl(join(runDir, 'events.jsonl')).filter((e) => e['event'] === event);
const restartOnce = { maxRestarts: 1, initialDelayMs: 20, maxDelayMs: 20, resetAfterMs: 60_000 };

function assertManifestEqualsFile(runDir: string, name: string): number {
  const path = join(runDir, `telemetry-${name}.jsonl`);
  const rows = readJsonl(path).length;
  const record = readManifest(runDir)?.collectors[name];
  assert.equal(record?.rows, rows, `${name}: manifest rows = rows on disk`);
  assert.equal(record?.bytes, readFileSync(path).length, `${name}: manifest bytes = file size`);
  return rows;
}

test('a module collector that allocates without bound is ended at its heap limit, with its own code, and restarted', async (t) => {
  const runDir = tempDir(t);
  const config = testEpisodeConfig(runDir, [{ name: 'leaky', fixture: 'runaway-heap', options: { rows: 3 }, maxHeapMb: 32 }], { restart: restartOnce });
  const summary = await runEpisode(config, { logger: quietLogger(), handleSignals: false, durationS: 60 });
  assert.equal(summary.reason, 'all_collectors_finished');
  const failed = named(runDir, 'collector_failed');
  assert.deepEqual(
    failed.map((e) => e['code']),
    ['VMTEL_WORKER_OUT_OF_MEMORY', 'VMTEL_WORKER_OUT_OF_MEMORY'],
  );
  assert.match(String(failed[0]!['message']), /ran out of its 32 MiB heap \(max_heap_mb\)/);
  assert.equal(named(runDir, 'collector_restarted').length, 1);
  assert.equal(named(runDir, 'collector_gave_up').length, 1);
  assert.equal(assertManifestEqualsFile(runDir, 'leaky'), 6, 'three rows from each of the two workers');
});

test('a collector stuck in a busy loop is collector_unresponsive while the episode runs, terminated and restarted', async (t) => {
  const runDir = tempDir(t);
  const config = testEpisodeConfig(
    runDir,
    [
      { name: 'stuck', fixture: 'stubborn' },
      { name: 'steady', fixture: 'ticking' },
    ],
    { unresponsiveAfterMs: 3000, restart: restartOnce },
  );
  // Two blocked workers are seen within about 5 s each; the rest is room for a loaded host.
  const summary = await runEpisode(config, { logger: quietLogger(), handleSignals: false, durationS: 15 });
  const unresponsive = named(runDir, 'collector_unresponsive');
  assert.deepEqual(
    unresponsive.map((e) => [e['source'], e['code'], e['after_ms']]),
    [
      ['stuck', 'VMTEL_WORKER_BLOCKED', 3000],
      ['stuck', 'VMTEL_WORKER_BLOCKED', 3000],
    ],
  );
  for (const event of unresponsive) {
    // Blocked from 0.3 s after its start; judged at the first look past 3 s, looks 1.5 s apart.
    assert.ok((event['blocked_s'] as number) >= 3 && (event['blocked_s'] as number) < 6, `blocked_s ${String(event['blocked_s'])}`);
  }
  assert.deepEqual(
    named(runDir, 'collector_failed').map((e) => e['code']),
    ['VMTEL_WORKER_BLOCKED', 'VMTEL_WORKER_BLOCKED'],
  );
  assert.equal(named(runDir, 'collector_restarted').length, 1);
  assert.equal(summary.collectors['stuck']?.status, 'gave_up');
  const stopAtNs = named(runDir, 'stop_requested')[0]!['t_mono_ns'] as number;
  assert.ok(unresponsive.every((e) => (e['t_mono_ns'] as number) < stopAtNs), 'seen while the episode ran, not at its stop');
  assert.equal(assertManifestEqualsFile(runDir, 'stuck'), 2, 'one row from each worker');
  assert.equal(summary.reason, 'duration');
});

test('a worker that dies with rows it never reported: the manifest counts them from the file', async (t) => {
  const runDir = tempDir(t);
  const config = testEpisodeConfig(runDir, [{ name: 'dying', fixture: 'exit-after-rows', options: { rows: 7 } }], { restart: restartOnce });
  const summary = await runEpisode(config, { logger: quietLogger(), handleSignals: false, durationS: 60 });
  assert.equal(summary.reason, 'all_collectors_finished');
  assert.deepEqual(
    named(runDir, 'collector_failed').map((e) => e['code']),
    ['VMTEL_WORKER_EXITED', 'VMTEL_WORKER_EXITED'],
  );
  assert.equal(named(runDir, 'collector_restarted').length, 1, 'one restart per failure: never two workers on one file');
  assert.equal(assertManifestEqualsFile(runDir, 'dying'), 14);
  assert.equal(summary.collectors['dying']?.rows, 14);
});
