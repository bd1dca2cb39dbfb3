// `vmtel report` as a user or a driver runs it: exact integers in --json, the exit code following
// --fail-on, an index page for several episodes, a path that is not a run dir refused in one line.
// And a real episode of the simulated VM without faults, recorded by `vmtel run`, gets `ok`.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { lstatSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { parseExactJson } from '../../src/sink/exact-json';
import { tempDir } from '../helpers/temp-dir';
import { CLI, runVmtel } from '../helpers/vmtel-process';
import { withDeadline } from '../helpers/wait-for';
import { writeSyntheticRunDir, type SyntheticEpisode } from '../helpers/synthetic-run-dir';

const CLEAN: SyntheticEpisode = { durationS: 30, guest: { rateHz: 20 }, samplers: [{ name: 'host', kind: 'host', intervalMs: 1000 }] };
const WITH_GAP: SyntheticEpisode = { ...CLEAN, samplers: [{ name: 'host', kind: 'host', intervalMs: 1000, gaps: [{ fromS: 10, toS: 17 }] }] };
const EMPTY_SOURCE: SyntheticEpisode = { ...CLEAN, samplers: [{ name: 'net', kind: 'net', intervalMs: 1000, empty: true }] };

function runDirOf(t: Parameters<typeof tempDir>[0], episode: SyntheticEpisode): string {
  const runDir = join(tempDir(t), 'run');
  writeSyntheticRunDir(runDir, episode);
  return runDir;
}

test('a report.html left in the run dir as a link is replaced, never followed', async (t) => {
  const runDir = runDirOf(t, CLEAN);
  const victim = join(tempDir(t), 'victim.txt');
  writeFileSync(victim, 'untouched\n');
  symlinkSync(victim, join(runDir, 'report.html'));
  const run = await runVmtel(t, ['report', runDir]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(readFileSync(victim, 'utf8'), 'untouched\n');
  assert.equal(lstatSync(join(runDir, 'report.html')).isFile(), true);
});

test('--json is one document with exact integers', async (t) => {
  const runDir = runDirOf(t, CLEAN);
  const run = await runVmtel(t, ['report', runDir, '--json']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /"startedWallNs":1795981198573983499,/);
  const report = parseExactJson(run.stdout) as Record<string, unknown>;
  assert.equal(report['startedWallNs'], 1795981198573983499n);
  assert.equal((report['verdict'] as Record<string, unknown>)['level'], 'ok');
  const wall = (report['guestClock'] as Record<string, Record<string, unknown>>)['wallOffset']!;
  assert.equal(typeof wall['firstNs'], 'number');
  assert.equal(run.stderr, '');
});

test('--json with several run dirs is one array, in the order given, written to --out', async (t) => {
  const out = join(tempDir(t), 'reports.json');
  const run = await runVmtel(t, ['report', runDirOf(t, WITH_GAP), runDirOf(t, CLEAN), '--json', '--out', out]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, '');
  const reports = parseExactJson(readFileSync(out, 'utf8')) as Array<{ verdict: { level: string } }>;
  assert.deepEqual(reports.map((r) => r.verdict.level), ['warning', 'ok']);
});

test('the exit code follows --fail-on', async (t) => {
  const warning = runDirOf(t, WITH_GAP);
  const unusable = runDirOf(t, EMPTY_SOURCE);
  const code = async (args: string[]) => (await runVmtel(t, ['report', ...args, '--json'])).code;
  assert.equal(await code([warning]), 0);
  assert.equal(await code([warning, '--fail-on', 'warning']), 6);
  assert.equal(await code([warning, '--fail-on', 'error']), 0);
  assert.equal(await code([unusable, '--fail-on', 'error']), 6);
  assert.equal(await code([runDirOf(t, CLEAN), '--fail-on', 'warning']), 0);
});

test('several run dirs: a page each and an index linking them with their verdicts', async (t) => {
  const out = join(tempDir(t), 'reports');
  const a = runDirOf(t, CLEAN);
  const b = runDirOf(t, { ...WITH_GAP, labels: { study: 'drift-study' } });
  const run = await runVmtel(t, ['report', a, b, '--out', out]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /vm1\/ep1: verdict ok\n/);
  assert.match(run.stdout, /vm1\/ep1: verdict warning: .*host has a 8\.0 s gap/);
  const index = readFileSync(join(out, 'index.html'), 'utf8');
  assert.match(index, /<a href="vm1_ep1\.html">/);
  assert.match(index, /<a href="vm1_ep1-2\.html">/);
  assert.match(readFileSync(join(out, 'vm1_ep1-2.html'), 'utf8'), /host has a 8\.0 s gap/);
  assert.match(index, /study=drift-study/);
  assert.match(index, /verdict-warning/);
});

test('a path that is not a run dir is refused in one line, exit 2', async (t) => {
  const run = await runVmtel(t, ['report', tempDir(t)]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /^vmtel: .* holds no episode\.json: not a vmtel run dir \(a folder holding episode\.json\) \[VMTEL_NOT_A_RUN_DIR\]\n$/);
});

test('an episode of the simulated VM without faults, recorded by vmtel run, is ok', async (t) => {
  const runDir = join(tempDir(t), 'sim');
  const sim = spawn(process.execPath, [CLI, 'sim', '--run-dir', runDir, '--agent-rate', '20'], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => sim.kill('SIGKILL'));
  const simExited = once(sim, 'exit');
  await withDeadline('the simulated VM to be ready', simReady(sim.stdout), 20_000);
  const config = join(__dirname, '..', '..', '..', 'config', 'demo.yaml');
  // demo.yaml takes its episode's name from the environment, as `npm run demo` sets it.
  const run = await runVmtel(t, ['run', '--config', config, '--run-dir', runDir, '--duration', '8'], 40_000, { VMTEL_DEMO_EPISODE: 'demo' });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout + run.stderr, /verdict ok \(vmtel report /, `vmtel run logs the verdict at the end of the episode:\n${run.stdout}${run.stderr}`);
  sim.kill('SIGTERM');
  await withDeadline('the simulated VM to exit', simExited);

  const report = await runVmtel(t, ['report', runDir, '--json', '--fail-on', 'warning']);
  const parsed = parseExactJson(report.stdout) as { verdict: { level: string; reasons: unknown[] }; sources: Array<{ name: string; rows: number; intervalFrom: string }> };
  assert.equal(report.code, 0, JSON.stringify(parsed.verdict));
  assert.equal(parsed.verdict.level, 'ok');
  assert.deepEqual(parsed.sources.map((s) => s.name).sort(), ['guest_agent', 'host', 'net', 'qemu_process', 'qmp']);
  for (const source of parsed.sources) assert.ok(source.rows > 0, source.name);
  // The samplers' cadence is judged against the interval their config gave, read from episode.json.
  for (const source of parsed.sources.filter((s) => s.name !== 'guest_agent')) assert.equal(source.intervalFrom, 'config', source.name);
  const summary = await runVmtel(t, ['summary', '--run-dir', runDir]);
  assert.match(summary.stdout, /\nverdict ok \(vmtel report /);
});

async function simReady(stdout: NodeJS.ReadableStream): Promise<void> {
  for await (const line of createInterface({ input: stdout })) if ((JSON.parse(line) as { sim?: string }).sim === 'ready') return;
  throw new Error('the simulated VM ended before it was ready');
}
