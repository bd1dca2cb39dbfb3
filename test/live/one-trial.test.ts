// One trial per episode: a second `vmtel run` on a run dir whose episode ended is refused (exit
// 2, which pm2 does not retry) and leaves it untouched; --continue records more of it on the
// same timeline; --new-run-dir gives the trial a directory of its own.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { requestControl } from '../../src/live/control-client';
import { readManifest } from '../../src/orchestrator/manifest';
import { readJsonl } from '../helpers/jsonl';
import { tempDir } from '../helpers/temp-dir';
import { runVmtel } from '../helpers/vmtel-process';
import { withDeadline } from '../helpers/wait-for';
import { fixtureEntry, startLiveEpisode, writeLiveConfig } from './live-episode';

test('a finished episode is refused unless --continue; --new-run-dir starts a new trial', async (t) => {
  const dir = tempDir(t);
  const runDir = join(dir, 'run');
  const config = writeLiveConfig(dir, fixtureEntry('tick', 'ticking'));
  const first = await runVmtel(t, ['run', '--config', config, '--duration', '0.3']);
  assert.equal(first.code, 0, first.stderr);
  const before = readManifest(runDir)!;
  const files = (): Record<string, string> => Object.fromEntries(readdirSync(runDir).map((f) => [f, readFileSync(join(runDir, f), 'utf8')]));
  const filesBefore = files();

  const refused = await runVmtel(t, ['run', '--config', config, '--duration', '0.3']);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /run directory .*run holds episode "ep1" of vm "testvm", which ended at \S+Z \(duration\); --continue .* \[VMTEL_EPISODE_FINISHED\]\n$/);
  // A refused start writes nothing into the run dir, its log included: every file is as it was.
  assert.deepEqual(files(), filesBefore, 'the recording is untouched');

  const continued = await runVmtel(t, ['run', '--config', config, '--duration', '0.3', '--continue']);
  assert.equal(continued.code, 0, continued.stderr);
  const after = readManifest(runDir)!;
  assert.equal(after.t_mono_origin_ns, before.t_mono_origin_ns, 'the same timeline');
  assert.equal(after.orchestrator_restarts, 1);
  assert.equal(after.status, 'stopped');
  const restarted = readJsonl(join(runDir, 'events.jsonl')).find((e) => e['event'] === 'orchestrator_restarted');
  assert.equal(restarted?.['previous_status'], 'stopped');

  const fresh = await runVmtel(t, ['run', '--config', config, '--duration', '0.3', '--new-run-dir']);
  assert.equal(fresh.code, 0, fresh.stderr);
  const line = /^run_dir (.*run-\d{8}T\d{6}Z)\n/.exec(fresh.stdout);
  assert.ok(line !== null, fresh.stdout);
  const trial = readManifest(line[1]!)!;
  assert.equal(trial.status, 'stopped');
  assert.equal(trial.orchestrator_restarts, 0, 'a new trial, not a continuation');
  assert.ok(readJsonl(join(line[1]!, 'telemetry-tick.jsonl')).length > 0);
  assert.equal(readManifest(runDir)?.orchestrator_restarts, 1, 'the first trial is left alone');

  const both = await runVmtel(t, ['run', '--config', config, '--continue', '--new-run-dir']);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--continue and --new-run-dir: give one or the other.*\[VMTEL_USAGE\]/);
});

test('a continued episode keeps its markers, phase and control counts', async (t) => {
  const dir = tempDir(t);
  const config = writeLiveConfig(dir, fixtureEntry('tick', 'ticking'));
  const first = await startLiveEpisode(t, dir, config);
  await requestControl(first.runDir, { op: 'mark', name: 'attack', phase: true });
  await requestControl(first.runDir, { op: 'mark', name: 'blip' });
  await requestControl(first.runDir, { op: 'stop', reason: 'first part done' });
  assert.equal(await withDeadline('the first part to stop', first.vmtel.exited, 10_000), 0);
  assert.equal(readManifest(first.runDir)?.control?.markers, 2);

  const second = await startLiveEpisode(t, dir, config, ['--continue']);
  const status = (await requestControl(second.runDir, { op: 'status' }))['status'] as Record<string, unknown>;
  assert.equal(status['markers'], 2);
  assert.equal((status['phase'] as { name: string }).name, 'attack');
  assert.equal((status['last_marker'] as { name: string }).name, 'blip');
  await requestControl(second.runDir, { op: 'stop', reason: 'second part done' });
  assert.equal(await withDeadline('the second part to stop', second.vmtel.exited, 10_000), 0);
  const manifest = readManifest(second.runDir)!;
  assert.equal(manifest.control?.markers, 2);
  // Requests add up over both processes: 2 marks; a status and a stop in each (plus the
  // status probes that waited for each socket).
  assert.equal(manifest.control?.requests.mark, 2);
  assert.equal(manifest.control?.requests.stop, 2);
});
