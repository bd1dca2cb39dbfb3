// `vmtel summary` as a user runs it: on an episode with a crash in it, on one still running, on
// a run dir moved elsewhere, and on paths that are not run dirs.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readManifest } from '../../src/orchestrator/manifest';
import type { EpisodeSummary } from '../../src/summary/episode-summary';
import { fixtureModule } from '../helpers/episode-config';
import { readJsonl } from '../helpers/jsonl';
import { tempDir } from '../helpers/temp-dir';
import { runVmtel, startVmtel } from '../helpers/vmtel-process';
import { waitFor, withDeadline } from '../helpers/wait-for';

function writeConfig(dir: string): string {
  const path = join(dir, 'vm.yaml');
  writeFileSync(path, `vm: v\nepisode: e\nrun_dir: run\nlog_level: warn\ncollectors:\n  tick:\n    module: ${fixtureModule('ticking')}\n    interval_ms: 10\n`);
  return path;
}

async function summaryJson(t: Parameters<typeof runVmtel>[0], runDir: string): Promise<EpisodeSummary> {
  const result = await runVmtel(t, ['summary', runDir, '--json']);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as EpisodeSummary;
}

const wallMs = (event: Record<string, unknown>): number => Number(event['t_wall_ns']) / 1e6;

test('an episode with a crash: the whole span, each process part, the gap between them', async (t) => {
  const dir = tempDir(t);
  const runDir = join(dir, 'run');
  const config = writeConfig(dir);
  const first = startVmtel(t, ['run', '--config', config]);
  await waitFor('rows of the first process', () => readJsonl(join(runDir, 'telemetry-tick.jsonl')).length >= 30, 10_000);
  first.child.kill('SIGKILL');
  await withDeadline('the killed vmtel to end', first.exited, 5000);
  const interrupted = await summaryJson(t, runDir);
  assert.equal(interrupted.state, 'interrupted');
  assert.equal(interrupted.counts_from, 'files');
  // Whole lines: a kill may have cut the last one short.
  assert.equal(interrupted.sources[0]!.rows, readFileSync(join(runDir, 'telemetry-tick.jsonl'), 'utf8').split('\n').length - 1);
  assert.deepEqual(interrupted.processes.map((p) => p.end), ['died']);
  const second = await runVmtel(t, ['run', '--config', config, '--duration', '0.5']);
  assert.equal(second.code, 0, second.stderr);

  const events = readJsonl(join(runDir, 'events.jsonl'));
  const starts = events.filter((e) => e['event'] === 'episode_started');
  const stoppedEvent = events.find((e) => e['event'] === 'episode_stopped')!;
  const rows = readJsonl(join(runDir, 'telemetry-tick.jsonl'));
  const secondStartMs = wallMs(starts[1]!);
  // The first process's last sign of life: its last row or event before the second started.
  const firstEndMs = Math.max(...rows.map(wallMs).filter((ms) => ms < secondStartMs), ...events.filter((e) => wallMs(e) < secondStartMs).map(wallMs));

  const summary = await summaryJson(t, runDir);
  assert.equal(summary.state, 'stopped');
  assert.equal(summary.stop_reason, 'duration');
  assert.deepEqual(summary.processes.map((p) => [p.pid, p.end]), [[first.child.pid, 'died'], [starts[1]!['pid'], 'stopped']]);
  assert.equal(summary.started_at, new Date(wallMs(starts[0]!)).toISOString());
  assert.equal(summary.ended_at, new Date(wallMs(stoppedEvent)).toISOString());
  assert.equal(summary.processes[0]!.ended_at, new Date(firstEndMs).toISOString());
  assert.ok(Math.abs(summary.span_s - (wallMs(stoppedEvent) - wallMs(starts[0]!)) / 1000) < 0.001, `span ${summary.span_s}`);
  const manifest = readManifest(runDir)!;
  assert.ok(summary.span_s > manifest.duration_s! + 0.2, 'the span covers both processes, not only the last');
  assert.equal(summary.gaps.length, 1);
  assert.ok(Math.abs(summary.gaps[0]!.duration_s - (secondStartMs - firstEndMs) / 1000) < 0.001);
  assert.ok(Math.abs(summary.recorded_s + summary.gaps[0]!.duration_s - summary.span_s) < 0.001);
  assert.equal(summary.sources[0]!.rows, rows.length);

  const text = await runVmtel(t, ['summary', '--run-dir', runDir]);
  assert.match(text.stdout, /^span \d+\.\d s, .* recorded by 2 processes$/m);
  assert.match(text.stdout, /^ {2}process 1 +pid \d+ .* died without stopping/m);
  assert.match(text.stdout, /^ {2}gap .* nothing recorded$/m);
  assert.match(text.stdout, /^ {2}process 2 +pid \d+ .* stopped \(duration\)$/m);
});

test('while an episode runs: rows counted in the files, not the manifest of a few seconds ago', async (t) => {
  const dir = tempDir(t);
  const runDir = join(dir, 'run');
  const vmtel = startVmtel(t, ['run', '--config', writeConfig(dir)]);
  await waitFor('50 rows on disk', () => readJsonl(join(runDir, 'telemetry-tick.jsonl')).length >= 50, 10_000);
  const onDisk = readJsonl(join(runDir, 'telemetry-tick.jsonl')).length;
  const manifestRows = readManifest(runDir)!.collectors['tick']!.rows;
  const summary = await summaryJson(t, runDir);
  assert.equal(summary.state, 'running');
  assert.equal(summary.counts_from, 'files');
  assert.ok(summary.sources[0]!.rows >= onDisk && summary.sources[0]!.rows > manifestRows, `${summary.sources[0]!.rows} rows, ${onDisk} on disk, manifest ${manifestRows}`);
  assert.equal(summary.processes[0]!.end, 'running');
  vmtel.child.kill('SIGTERM');
  assert.equal(await withDeadline('vmtel to stop', vmtel.exited, 10_000), 0);
});

test('a moved run dir: files are named relative to it, no old absolute path', async (t) => {
  const dir = tempDir(t);
  assert.equal((await runVmtel(t, ['run', '--config', writeConfig(dir), '--duration', '0.3'])).code, 0);
  const moved = join(dir, 'elsewhere');
  renameSync(join(dir, 'run'), moved);
  const text = await runVmtel(t, ['summary', moved]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^tick +ticking +\d+ .* telemetry-tick\.jsonl$/m);
  assert.ok(!text.stdout.includes(join(dir, 'run/')), text.stdout);
  assert.match(text.stdout, new RegExp(`^files in ${moved}: episode\\.json`, 'm'));
  assert.ok((await summaryJson(t, moved)).sources[0]!.rows > 0);
});

test('not a run dir: one line with its code, exit 2, no stack', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'notes.txt');
  writeFileSync(file, 'hello\n');
  mkdirSync(join(dir, 'empty'));
  const cases: Array<[string[], RegExp]> = [
    [['summary', file], /^vmtel: .*notes\.txt is a file, not a folder: not a vmtel run dir \(a folder holding episode\.json\) \[VMTEL_NOT_A_RUN_DIR\]$/],
    [['summary', join(dir, 'empty')], /^vmtel: .*empty holds no episode\.json: not a vmtel run dir .*\[VMTEL_NOT_A_RUN_DIR\]$/],
    [['summary', join(dir, 'absent')], /^vmtel: .*absent cannot be read \(ENOENT\): not a vmtel run dir .*\[VMTEL_NOT_A_RUN_DIR\]$/],
    [['summary'], /^vmtel: name the run dir once: vmtel summary DIR \(or --run-dir DIR\) \[VMTEL_USAGE\]$/],
  ];
  for (const [args, line] of cases) {
    const result = await runVmtel(t, args);
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stderr.split('\n').length, 2, result.stderr);
    assert.match(result.stderr.trimEnd(), line);
  }
  assert.equal(readFileSync(file, 'utf8'), 'hello\n');
});
