// `vmtel status` against a real `vmtel run`: --json figures equal what is on disk, --watch draws
// its table in a real pseudo-terminal (under script(1)) and plain blocks into a pipe, and with
// nothing recording it falls back to the manifest and says so.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { requestControl } from '../../src/live/control-client';
import { readManifest } from '../../src/orchestrator/manifest';
import { readJsonl } from '../helpers/jsonl';
import { tempDir } from '../helpers/temp-dir';
import { CLI, runVmtel } from '../helpers/vmtel-process';
import { waitFor, withDeadline } from '../helpers/wait-for';
import { fixtureEntry, startLiveEpisode, writeLiveConfig } from './live-episode';

type Status = {
  recording: boolean;
  t_mono_ns: number;
  markers: number;
  phase: { name: string; t_mono_ns: number } | null;
  collectors: Record<string, { state: string; rows: number; last_row_age_s: number | null; dropped: Record<string, number>; restarts: number }>;
};

test('status --json: the figures are those of the files', async (t) => {
  const dir = tempDir(t);
  // `done` writes five rows and finishes; `slow` writes one and waits: the files stay still.
  const config = writeLiveConfig(dir, fixtureEntry('done', 'ticking', { interval_ms: 5, rows: 5 }) + fixtureEntry('slow', 'ticking', { interval_ms: 600_000 }));
  const episode = await startLiveEpisode(t, dir, config);
  const file = (name: string): Array<Record<string, unknown>> => readJsonl(join(episode.runDir, `telemetry-${name}.jsonl`));
  await waitFor('both collectors to have written', () => file('done').length === 5 && file('slow').length === 1);
  await requestControl(episode.runDir, { op: 'mark', name: 'idle', phase: true });
  await requestControl(episode.runDir, { op: 'mark', name: 'blip' });
  await waitFor('done to finish', async () => {
    const status = JSON.parse((await runVmtel(t, ['status', '--run-dir', episode.runDir, '--json'])).stdout) as Status;
    return status.collectors['done']?.state === 'finished';
  });
  const result = await runVmtel(t, ['status', '--run-dir', episode.runDir, '--json']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout.split('\n').length, 2, 'one object, one line');
  const status = JSON.parse(result.stdout) as Status;
  assert.equal(status.recording, true);
  for (const name of ['done', 'slow']) {
    const rows = file(name);
    const figures = status.collectors[name]!;
    assert.equal(figures.rows, rows.length, `${name}: rows`);
    const lastRowNs = rows.at(-1)!['t_mono_ns'] as number;
    assert.ok(Math.abs(figures.last_row_age_s! - (status.t_mono_ns - lastRowNs) / 1e9) < 0.002, `${name}: age of its last row`);
    assert.deepEqual(figures.dropped, {});
    assert.equal(figures.restarts, 0);
  }
  assert.equal(status.collectors['slow']?.state, 'running');
  const markers = readJsonl(join(episode.runDir, 'events.jsonl')).filter((e) => e['event'] === 'marker');
  assert.equal(status.markers, markers.length);
  assert.equal(status.phase?.name, 'idle');
  assert.equal(status.phase?.t_mono_ns, markers[0]!['t_mono_ns']);

  await requestControl(episode.runDir, { op: 'stop', reason: 'done' });
  assert.equal(await withDeadline('vmtel to stop', episode.vmtel.exited, 10_000), 0);
  const after = await runVmtel(t, ['status', '--run-dir', episode.runDir]);
  assert.equal(after.code, 0);
  assert.match(after.stdout, /^no vmtel is recording in .*run; from its episode\.json \(status stopped, done\):\n/);
  assert.match(after.stdout, /\ndone +finished +5 /);
  assert.match(after.stdout, /markers 2/);
  const json = JSON.parse((await runVmtel(t, ['status', '--run-dir', episode.runDir, '--json'])).stdout) as { recording: boolean; manifest: { status: string } };
  assert.equal(json.recording, false);
  assert.equal(json.manifest.status, 'stopped');
});

test('status: drops by reason are at most about a second behind the live drop total', async (t) => {
  const dir = tempDir(t);
  const episode = await startLiveEpisode(t, dir, writeLiveConfig(dir, fixtureEntry('drops', 'dropping', { drops: 7 })));
  type Drops = { collectors: Record<string, { dropped: Record<string, number>; dropped_total: number }> };
  const status = async (): Promise<Drops> => (await requestControl(episode.runDir, { op: 'status' }))['status'] as Drops;
  await waitFor('the live drop total', async () => (await status()).collectors['drops']?.dropped_total === 7);
  // A worker reports its counts every 5 s on its own; asked, it reports within the second.
  const seenAt = performance.now();
  await waitFor('drops by reason', async () => (await status()).collectors['drops']?.dropped['test_drop'] === 7, 2500);
  assert.ok(performance.now() - seenAt < 2500);
  await requestControl(episode.runDir, { op: 'stop', reason: 'done' });
  assert.equal(await withDeadline('vmtel to stop', episode.vmtel.exited, 10_000), 0);
  assert.deepEqual(readManifest(episode.runDir)?.collectors['drops']?.dropped, { test_drop: 7 });
});

/** Starts `vmtel status --watch` (in a pseudo-terminal when `tty`); its output so far and a stop. */
function watch(t: Parameters<typeof tempDir>[0], runDir: string, tty: boolean): { output: () => string; stop: () => Promise<unknown> } {
  const command = [process.execPath, CLI, 'status', '--run-dir', runDir, '--watch'];
  // script(1) runs the command on a new pseudo-terminal and copies what it draws to stdout.
  const child = tty
    ? spawn('script', ['-qfec', command.map((arg) => `'${arg}'`).join(' '), '/dev/null'], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, TERM: 'xterm' } })
    : spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return {
    output: () => text,
    stop: async () => {
      // Ctrl-C as a person would type it on the terminal; a plain SIGINT for the pipe.
      if (tty) child.stdin?.write('\x03');
      else child.kill('SIGINT');
      return withDeadline('status --watch to end', exited, 5000);
    },
  };
}

test('status --watch redraws its table in place on a terminal, and prints plain blocks into a pipe', async (t) => {
  const dir = tempDir(t);
  const episode = await startLiveEpisode(t, dir, writeLiveConfig(dir, fixtureEntry('tick', 'ticking', { interval_ms: 50 })));
  await requestControl(episode.runDir, { op: 'mark', name: 'warmup', phase: true });
  const onTty = watch(t, episode.runDir, true);
  const inPipe = watch(t, episode.runDir, false);
  const frames = (text: string): number => text.split('collector  state').length - 1;
  await waitFor('three frames on the terminal and in the pipe', () => frames(onTty.output()) >= 3 && frames(inPipe.output()) >= 3, 15_000);
  await Promise.all([onTty.stop(), inPipe.stop()]);

  const drawn = onTty.output();
  assert.match(drawn, /testvm \/ ep1 {2}recording {2}age \d\d:\d\d:\d\d/);
  assert.match(drawn, /phase warmup \(\d\d:\d\d:\d\d\) {2}markers 1/);
  assert.match(drawn, /\ntick +running +\d+ +[\d.]+ +[\d.]+s ago +0 +0/);
  // Each frame after the first moves back up over the last one (4 lines) and clears below.
  assert.ok((drawn.match(/\x1b\[4F\x1b\[J/g) ?? []).length >= 2, JSON.stringify(drawn.slice(0, 400)));
  const plain = inPipe.output();
  assert.ok(!plain.includes('\x1b'), 'no escape sequences into a pipe');
  assert.ok(plain.split('\n\n').filter((block) => block.includes('collector  state')).length >= 3, 'frames as blocks');

  await requestControl(episode.runDir, { op: 'stop', reason: 'done' });
  assert.equal(await withDeadline('vmtel to stop', episode.vmtel.exited, 10_000), 0);
});
