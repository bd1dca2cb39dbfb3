import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readManifest } from '../../src/orchestrator/manifest';
import { fixtureModule } from '../helpers/episode-config';
import { readJsonl } from '../helpers/jsonl';
import { tempDir } from '../helpers/temp-dir';
import { runVmtel, startVmtel } from '../helpers/vmtel-process';
import { waitFor, withDeadline } from '../helpers/wait-for';

function writeConfig(dir: string, collectors: string, extra = ''): string {
  const path = join(dir, 'vm.yaml');
  writeFileSync(path, `vm: testvm\nepisode: ep1\nrun_dir: run\nlog_level: warn\n${extra}collectors:\n${collectors}`);
  return path;
}

const fixtureEntry = (name: string, fixture: string, options = '') =>
  `  ${name}:\n    module: ${fixtureModule(fixture)}\n${options}`;

/** Every JSONL file of the run dir, each line parsed (readJsonl throws on a torn or glued line). */
function allJsonl(runDir: string): Map<string, Array<Record<string, unknown>>> {
  return new Map(readdirSync(runDir).filter((f) => f.endsWith('.jsonl')).map((f) => [f, readJsonl(join(runDir, f))]));
}

test('SIGTERM to a running vmtel: exit 0, every file whole, the manifest complete', async (t) => {
  const dir = tempDir(t);
  const runDir = join(dir, 'run');
  const config = writeConfig(dir, fixtureEntry('flood', 'flood') + fixtureEntry('tick', 'ticking', '    interval_ms: 10\n'));
  const vmtel = startVmtel(t, ['run', '--config', config]);
  await waitFor('rows from both collectors', () => readJsonl(join(runDir, 'telemetry-tick.jsonl')).length > 5 && existsSync(join(runDir, 'telemetry-flood.jsonl')), 10_000);
  vmtel.child.kill('SIGTERM');
  assert.equal(await withDeadline('vmtel to exit after SIGTERM', vmtel.exited, 5000), 0, vmtel.stderr());

  const files = allJsonl(runDir);
  const manifest = readManifest(runDir)!;
  assert.equal(manifest.status, 'stopped');
  assert.equal(manifest.stop_reason, 'signal');
  for (const name of ['flood', 'tick']) {
    const rows = files.get(`telemetry-${name}.jsonl`)!;
    assert.equal(manifest.collectors[name]?.rows, rows.length, `${name}: manifest rows = rows on disk`);
    assert.equal(manifest.collectors[name]?.bytes, readFileSync(join(runDir, `telemetry-${name}.jsonl`)).length);
    assert.deepEqual(rows.map((r) => r['seq']), rows.map((_, i) => i), `${name}: no row lost or duplicated`);
  }
  const events = files.get('events.jsonl')!;
  const stop = events.find((e) => e['event'] === 'stop_requested')!;
  assert.equal(stop['signal'], 'SIGTERM');
  assert.equal(events.at(-1)!['event'], 'episode_stopped');
  assert.ok(existsSync(join(runDir, 'vmtel.log')));
  assert.ok(!existsSync(join(runDir, 'vmtel.lock')), 'the lock is released');
});

test('a second signal during stop finishes fast and still leaves every file whole', async (t) => {
  const dir = tempDir(t);
  const runDir = join(dir, 'run');
  const config = writeConfig(dir, fixtureEntry('stubborn', 'stubborn') + fixtureEntry('tick', 'ticking'), 'stop_grace_ms: 30000\n');
  const vmtel = startVmtel(t, ['run', '--config', config]);
  await waitFor('the stubborn collector to block', () => readJsonl(join(runDir, 'telemetry-stubborn.jsonl')).length === 1, 10_000);
  vmtel.child.kill('SIGTERM');
  await waitFor('stop_requested', () => readJsonl(join(runDir, 'events.jsonl')).some((e) => e['event'] === 'stop_requested'));
  const hurriedAt = performance.now();
  vmtel.child.kill('SIGINT');
  assert.equal(await withDeadline('vmtel to exit after a second signal', vmtel.exited, 3000), 0, vmtel.stderr());
  assert.ok(performance.now() - hurriedAt < 2000, 'finished well before the 30 s grace');
  const events = allJsonl(runDir).get('events.jsonl')!;
  assert.ok(events.some((e) => e['event'] === 'stop_hurried' && e['signal'] === 'SIGINT'));
  assert.ok(events.some((e) => e['event'] === 'collector_unresponsive' && e['source'] === 'stubborn'));
  assert.equal(readManifest(runDir)?.status, 'stopped');
});

test('SIGKILL during a heavy write, then a restart: same origin, torn tail repaired, the restart recorded', async (t) => {
  const dir = tempDir(t);
  const runDir = join(dir, 'run');
  const config = writeConfig(dir, fixtureEntry('flood', 'flood') + fixtureEntry('tick', 'ticking', '    interval_ms: 10\n'));
  const first = startVmtel(t, ['run', '--config', config]);
  await waitFor(
    'a heavy write under way and ticks on disk',
    () => readJsonl(join(runDir, 'telemetry-tick.jsonl')).length > 5 && readFileSync(join(runDir, 'telemetry-flood.jsonl')).length > 2_000_000,
    15_000,
  );
  first.child.kill('SIGKILL');
  assert.equal(await withDeadline('the killed vmtel to end', first.exited, 5000), 'SIGKILL');
  const before = readManifest(runDir)!;
  assert.equal(before.status, 'running', 'a killed episode is left marked running');
  // A SIGKILL can cut a large write(2) short (the kernel stops between pages), but not reliably
  // so; a short write (a full disk, say) does the same. The test appends a torn tail to be sure.
  appendFileSync(join(runDir, 'telemetry-flood.jsonl'), '{"t_mono_ns":123,"seq":99');
  const rowsBefore = readFileSync(join(runDir, 'telemetry-tick.jsonl'), 'utf8').split('\n').length - 1;

  const second = startVmtel(t, ['run', '--config', config, '--duration', '0.5']);
  assert.equal(await withDeadline('the restarted vmtel to finish', second.exited, 10_000), 0, second.stderr());
  const after = readManifest(runDir)!;
  assert.equal(after.t_mono_origin_ns, before.t_mono_origin_ns, 'the timeline continues on the same origin');
  assert.equal(after.orchestrator_restarts, 1);
  assert.equal(after.starts.length, 2);
  assert.equal(after.status, 'stopped');
  const files = allJsonl(runDir);
  const events = files.get('events.jsonl')!;
  const restarted = events.find((e) => e['event'] === 'orchestrator_restarted')!;
  assert.equal(restarted['count'], 1);
  assert.equal(restarted['previous_status'], 'running');
  const repaired = events.find((e) => e['event'] === 'torn_line_repaired')!;
  // The appended 25 bytes, after whatever part of a row the kill itself cut short.
  const torn = readFileSync(join(runDir, 'telemetry-flood.jsonl.torn'), 'utf8');
  assert.ok(torn.endsWith('{"t_mono_ns":123,"seq":99\n'), torn.slice(-100));
  assert.equal(repaired['torn_bytes'], Buffer.byteLength(torn) - 1);
  // Rows after the restart sit later on the same timeline than every row before it.
  const tick = files.get('telemetry-tick.jsonl')!;
  assert.ok(tick.length > rowsBefore);
  const lastBefore = tick[rowsBefore - 1]!['t_mono_ns'] as number;
  const firstAfter = tick[rowsBefore]!['t_mono_ns'] as number;
  assert.ok(firstAfter > lastBefore, 'time keeps going forward across the restart');
  assert.equal(tick[rowsBefore]!['seq'], 0, 'the restarted collector starts a new sequence: the gap is visible');
  for (const name of ['flood', 'tick']) {
    const file = join(runDir, `telemetry-${name}.jsonl`);
    assert.equal(after.collectors[name]?.rows, files.get(`telemetry-${name}.jsonl`)!.length, `${name}: rows across the crash are counted from the file`);
    assert.equal(after.collectors[name]?.bytes, readFileSync(file).length, `${name}: bytes across the crash`);
  }
});

test('a config error: one line per problem, exit 2, nothing started', async (t) => {
  const dir = tempDir(t);
  const config = join(dir, 'bad.yaml');
  writeFileSync(config, 'vm: testvm\nepisode: ep1\nrun_dir: run\nstop_grace_ms: -1\ncollectors:\n  tick:\n    module: ./nope.js\n');
  const result = await runVmtel(t, ['run', '--config', config]);
  assert.equal(result.code, 2);
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 2, result.stderr);
  assert.match(lines[0]!, /^vmtel: .*bad\.yaml:4: stop_grace_ms: .*got -1 \[VMTEL_CONFIG_INVALID\]$/);
  assert.match(lines[1]!, /^vmtel: .*bad\.yaml:7: collectors\.tick\.module: .*\[VMTEL_CONFIG_INVALID\]$/);
  assert.ok(!existsSync(join(dir, 'run')), 'no run dir was created');
});

test('a run dir holding another episode is refused with exit 2; a live holder with exit 1', async (t) => {
  const dir = tempDir(t);
  const runDir = join(dir, 'run');
  const config = writeConfig(dir, fixtureEntry('tick', 'ticking'));
  assert.equal((await runVmtel(t, ['run', '--config', config, '--duration', '0.2'])).code, 0);
  const other = join(dir, 'other.yaml');
  writeFileSync(other, readFileSync(config, 'utf8').replace('episode: ep1', 'episode: ep2'));
  const mismatch = await runVmtel(t, ['run', '--config', other]);
  assert.equal(mismatch.code, 2);
  assert.match(mismatch.stderr, /holds vm "testvm" episode "ep1", not vm "testvm" episode "ep2" \[VMTEL_RUN_DIR_MISMATCH\]/);

  // The first trial ended: the holder records more of it.
  const holder = startVmtel(t, ['run', '--config', config, '--continue']);
  await waitFor('the first vmtel to take the lock', () => existsSync(join(runDir, 'vmtel.lock')) && readFileSync(join(runDir, 'vmtel.lock'), 'utf8').trim() === String(holder.child.pid), 10_000);
  const busy = await runVmtel(t, ['run', '--config', config]);
  assert.equal(busy.code, 1);
  assert.match(busy.stderr, new RegExp(`in use by vmtel process ${holder.child.pid} \\[VMTEL_RUN_DIR_BUSY\\]`));
  holder.child.kill('SIGTERM');
  assert.equal(await withDeadline('the holder to stop', holder.exited, 5000), 0);
});
