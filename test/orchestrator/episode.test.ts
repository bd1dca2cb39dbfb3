import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runEpisode } from '../../src/orchestrator/episode';
import { readManifest } from '../../src/orchestrator/manifest';
import { testEpisodeConfig } from '../helpers/episode-config';
import { readJsonl } from '../helpers/jsonl';
import { quietLogger } from '../helpers/quiet-logger';
import { tempDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait-for';

const events = (runDir: string) => readJsonl(join(runDir, 'events.jsonl'));
const named = (runDir: string, event: string) => events(runDir).filter((e) => e['event'] === event);

test('rows of two workers land on one timeline with the events', async (t) => {
  const runDir = tempDir(t);
  const config = testEpisodeConfig(runDir, [
    { name: 'a', fixture: 'ticking', options: { interval_ms: 10 } },
    { name: 'b', fixture: 'ticking', options: { interval_ms: 15 } },
  ]);
  const summary = await runEpisode(config, { logger: quietLogger(), handleSignals: false, durationS: 0.6 });
  assert.equal(summary.reason, 'duration');

  const a = readJsonl(join(runDir, 'telemetry-a.jsonl'));
  const b = readJsonl(join(runDir, 'telemetry-b.jsonl'));
  assert.ok(a.length >= 10 && b.length >= 10, `rows: a=${a.length} b=${b.length}`);
  const manifest = readManifest(runDir);
  assert.ok(manifest !== null);
  // Every stamp of every file is an exact integer on the same origin: wall − mono is one constant.
  const offsets = new Set(
    [...a, ...b, ...events(runDir)].map((row) => {
      const raw = JSON.stringify(row);
      assert.match(raw, /"t_mono_ns":\d+,"t_wall_ns":\d+/);
      return BigInt(row['t_wall_ns'] as number) - BigInt(row['t_mono_ns'] as number);
    }),
  );
  // JSON.parse rounds wall ns to ~256 ns; the offsets must agree within that rounding.
  const sorted = [...offsets].sort((x, y) => (x < y ? -1 : 1));
  assert.ok(sorted.at(-1)! - sorted[0]! < 2048n, `wall-mono offsets differ: ${sorted[0]} .. ${sorted.at(-1)}`);
  // Both collectors start near the origin and overlap in time.
  const first = (rows: Array<Record<string, unknown>>) => rows[0]!['t_mono_ns'] as number;
  const last = (rows: Array<Record<string, unknown>>) => rows.at(-1)!['t_mono_ns'] as number;
  assert.ok(first(a) < 500e6 && first(b) < 500e6, 'rows start within 0.5 s of the origin');
  assert.ok(first(a) < last(b) && first(b) < last(a), 'the two row streams overlap in time');
  for (const [name, rows] of [['a', a], ['b', b]] as const) {
    assert.deepEqual(
      rows.map((r) => r['seq']),
      rows.map((_, i) => i),
      `${name}: sequence numbers contiguous`,
    );
    // Each file holds only its own collector's rows.
    assert.deepEqual(new Set(rows.map((r) => r['source'])), new Set([name]), `${name}: sources`);
    assert.deepEqual(new Set(rows.map((r) => r['available_in_deployment'])), new Set([false]), `${name}: available_in_deployment`);
  }
  assert.equal(manifest.status, 'stopped');
  assert.equal(manifest.collectors['a']?.rows, a.length);
  assert.equal(manifest.collectors['b']?.rows, b.length);
  assert.equal(named(runDir, 'collector_started').length, 2);
  assert.equal(named(runDir, 'collector_stopped').length, 2);
  assert.deepEqual(
    events(runDir).map((e) => e['event']).filter((e) => e === 'episode_started' || e === 'stop_requested' || e === 'episode_stopped'),
    ['episode_started', 'stop_requested', 'episode_stopped'],
  );
});

test('onStarted is called once, when every collector has said collector_started', async (t) => {
  const runDir = tempDir(t);
  const config = testEpisodeConfig(runDir, [
    { name: 'a', fixture: 'ticking', options: { interval_ms: 10 } },
    { name: 'b', fixture: 'ticking', options: { interval_ms: 15 } },
  ]);
  const startedWhenCalled: number[] = [];
  await runEpisode(config, {
    logger: quietLogger(),
    handleSignals: false,
    durationS: 0.6,
    onStarted: () => startedWhenCalled.push(named(runDir, 'collector_started').length),
  });
  assert.deepEqual(startedWhenCalled, [2]);
});

test('onStarted is called 2 s after the workers started when a collector never starts', async (t) => {
  const runDir = tempDir(t);
  const config = testEpisodeConfig(
    runDir,
    [
      { name: 'a', fixture: 'ticking', options: { interval_ms: 10 } },
      { name: 'broken', fixture: 'unloadable' },
    ],
    { restart: { maxRestarts: 1, initialDelayMs: 40, maxDelayMs: 40, resetAfterMs: 60_000 } },
  );
  const startedAtMs = performance.now();
  const calls: Array<{ afterMs: number; started: unknown[] }> = [];
  await runEpisode(config, {
    logger: quietLogger(),
    handleSignals: false,
    durationS: 2.5,
    onStarted: () => calls.push({ afterMs: performance.now() - startedAtMs, started: named(runDir, 'collector_started').map((e) => e['source']) }),
  });
  assert.equal(calls.length, 1);
  assert.deepEqual(calls[0]!.started, ['a']);
  assert.ok(calls[0]!.afterMs >= 2000, `called after ${calls[0]!.afterMs} ms`);
  assert.equal(named(runDir, 'collector_gave_up').length, 1, 'the broken collector was given up on');
});

test('a collector sleeping between samples stops at once', async (t) => {
  const runDir = tempDir(t);
  const config = testEpisodeConfig(runDir, [{ name: 'sleepy', fixture: 'ticking', options: { interval_ms: 60_000 } }]);
  const summary = await runEpisode(config, { logger: quietLogger(), handleSignals: false, durationS: 0.2 });
  const stopRequested = named(runDir, 'stop_requested')[0]!;
  const stopped = named(runDir, 'collector_stopped')[0]!;
  const latencyMs = ((stopped['t_mono_ns'] as number) - (stopRequested['t_mono_ns'] as number)) / 1e6;
  assert.ok(latencyMs < 100, `stop latency ${latencyMs} ms`);
  assert.equal(summary.collectors['sleepy']?.rows, 1);
  assert.equal(stopped['reason'], 'stop_requested');
});

test('a crashing module collector is restarted with backoff, then given up, while a sibling keeps writing', async (t) => {
  const runDir = tempDir(t);
  const config = testEpisodeConfig(
    runDir,
    [
      { name: 'crashy', fixture: 'crashing', options: { rows_before_crash: 2 } },
      { name: 'steady', fixture: 'ticking', options: { interval_ms: 10 } },
    ],
    { restart: { maxRestarts: 3, initialDelayMs: 40, maxDelayMs: 1000, resetAfterMs: 60_000 } },
  );
  const episode = runEpisode(config, { logger: quietLogger(), handleSignals: false, durationS: 1.5 });
  await waitFor('the crashing collector to be given up', () => named(runDir, 'collector_gave_up').length === 1, 5000);
  const summary = await episode;

  const failed = named(runDir, 'collector_failed');
  assert.equal(failed.length, 4, 'first run + 3 restarts all failed');
  assert.ok(failed.every((e) => e['source'] === 'crashy' && e['code'] === 'FIXTURE_CRASH' && /on purpose/.test(String(e['message']))));
  assert.ok(failed.every((e) => typeof e['stack'] === 'string' && (e['stack'] as string).length > 0));
  const restarted = named(runDir, 'collector_restarted');
  assert.deepEqual(
    restarted.map((e) => [e['attempt'], e['delay_ms']]),
    [
      [1, 40],
      [2, 80],
      [3, 160],
    ],
  );
  // The waits really happened: each restart's start follows its failure by at least the delay.
  const started = named(runDir, 'collector_started').filter((e) => e['source'] === 'crashy');
  assert.equal(started.length, 4);
  for (let i = 1; i < started.length; i += 1) {
    const gapMs = ((started[i]!['t_mono_ns'] as number) - (failed[i - 1]!['t_mono_ns'] as number)) / 1e6;
    assert.ok(gapMs >= 40 * 2 ** (i - 1) - 1, `restart ${i} came after ${gapMs} ms`);
  }
  assert.equal(summary.collectors['crashy']?.status, 'gave_up');
  assert.equal(summary.collectors['crashy']?.rows, 8);
  assert.equal(summary.collectors['crashy']?.restarts, 3);
  assert.equal(readJsonl(join(runDir, 'telemetry-crashy.jsonl')).length, 8);

  // The sibling never noticed: its rows are contiguous across the whole episode.
  const steady = readJsonl(join(runDir, 'telemetry-steady.jsonl'));
  assert.deepEqual(
    steady.map((r) => r['seq']),
    steady.map((_, i) => i),
  );
  assert.ok((steady.at(-1)!['t_mono_ns'] as number) > (named(runDir, 'collector_gave_up')[0]!['t_mono_ns'] as number));
  assert.equal(summary.collectors['steady']?.status, 'stopped');
  assert.equal(named(runDir, 'collector_started').filter((e) => e['source'] === 'steady').length, 1);
  assert.equal(summary.reason, 'duration');
});

test('a worker that exits without a word is a failure with its own code', async (t) => {
  const runDir = tempDir(t);
  const config = testEpisodeConfig(runDir, [{ name: 'quitter', fixture: 'silent-exit' }], {
    restart: { maxRestarts: 0, initialDelayMs: 10, maxDelayMs: 10, resetAfterMs: 60_000 },
  });
  const summary = await runEpisode(config, { logger: quietLogger(), handleSignals: false, durationS: 10 });
  const failed = named(runDir, 'collector_failed');
  assert.equal(failed.length, 1);
  assert.equal(failed[0]!['code'], 'VMTEL_WORKER_EXITED');
  assert.match(String(failed[0]!['message']), /exited with code 7/);
  assert.equal(named(runDir, 'collector_gave_up').length, 1);
  assert.equal(summary.reason, 'all_collectors_finished');
});

test('a worker still alive after the stop grace is terminated, and that is an event', async (t) => {
  const runDir = tempDir(t);
  const config = testEpisodeConfig(
    runDir,
    [
      { name: 'stubborn', fixture: 'stubborn' },
      { name: 'fine', fixture: 'ticking' },
    ],
    { stopGraceMs: 300 },
  );
  const summary = await runEpisode(config, { logger: quietLogger(), handleSignals: false, durationS: 0.3 });
  const unresponsive = named(runDir, 'collector_unresponsive');
  assert.deepEqual(
    unresponsive.map((e) => [e['source'], e['code'], e['grace_ms']]),
    [['stubborn', 'VMTEL_WORKER_UNRESPONSIVE', 300]],
  );
  assert.equal(summary.collectors['fine']?.status, 'stopped');
  assert.equal(summary.collectors['stubborn']?.status, 'stopped');
  assert.equal(readManifest(runDir)?.status, 'stopped');
});

test('a collector that finishes by itself is not restarted, and the episode ends when all have', async (t) => {
  const runDir = tempDir(t);
  const config = testEpisodeConfig(runDir, [
    { name: 'short', fixture: 'ticking', options: { interval_ms: 5, rows: 3 } },
    { name: 'longer', fixture: 'ticking', options: { interval_ms: 5, rows: 20 } },
  ]);
  const summary = await runEpisode(config, { logger: quietLogger(), handleSignals: false, durationS: 10 });
  assert.equal(summary.reason, 'all_collectors_finished');
  assert.equal(named(runDir, 'collector_restarted').length, 0);
  assert.deepEqual(
    named(runDir, 'collector_stopped').map((e) => [e['source'], e['reason'], e['rows']]),
    [
      ['short', 'done', 3],
      ['longer', 'done', 20],
    ],
  );
  assert.equal(summary.collectors['short']?.status, 'finished');
  assert.equal(readJsonl(join(runDir, 'telemetry-longer.jsonl')).length, 20);
});

test('an episode continued after a host reboot opens a new timeline segment with a new origin', async (t) => {
  const runDir = tempDir(t);
  const config = testEpisodeConfig(runDir, [{ name: 'tick', fixture: 'ticking' }]);
  await runEpisode(config, { logger: quietLogger(), handleSignals: false, durationS: 0.1 });
  const first = readManifest(runDir)!;
  // Stand in for a reboot: vmtel died with the host (the manifest still says running), and the
  // stored boot id is not this boot's.
  const path = join(runDir, 'episode.json');
  writeFileSync(path, readFileSync(path, 'utf8').replace(first.boot_id, '00000000-0000-0000-0000-000000000000').replace('"status":"stopped"', '"status":"running"'));

  await runEpisode(config, { logger: quietLogger(), handleSignals: false, durationS: 0.1 });
  const second = readManifest(runDir)!;
  assert.notEqual(second.t_mono_origin_ns, first.t_mono_origin_ns);
  assert.equal(second.segment, 1);
  assert.deepEqual(second.starts.map((s) => s.segment), [0, 1]);
  const segment = named(runDir, 'timeline_segment_started');
  assert.equal(segment.length, 1);
  assert.match(String(segment[0]!['reason']), /host rebooted \(boot id 00000000-0000-0000-0000-000000000000 → /);
  assert.equal(named(runDir, 'orchestrator_restarted').length, 1);
});
