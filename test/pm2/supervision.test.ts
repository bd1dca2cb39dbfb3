// pm2 supervising real vmtel processes through ecosystem.config.js, recording a simulated VM
// (`vmtel sim`): a SIGKILL is restarted and the episode continues on its origin; `pm2 stop` is a
// graceful stop; a VM that shuts down, a config error and a collector crash are each final or
// handled inside vmtel, without pm2 restarting anything.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { readManifest } from '../../src/orchestrator/manifest';
import { PM2_ERROR_LOG } from '../../src/run-dir-files';
import { fixtureModule } from '../helpers/episode-config';
import { readJsonl } from '../helpers/jsonl';
import { usePm2, type Pm2, type Pm2Process } from '../helpers/pm2';
import { tempDir } from '../helpers/temp-dir';
import { CLI } from '../helpers/vmtel-process';
import { waitFor } from '../helpers/wait-for';

const VM = 'pm2vm';
const APP = `vmtel-${VM}`;
// Short, so a stop is quick; pm2's kill_timeout is derived from it (plus a margin).
const STOP_GRACE_MS = 1000;
// pm2 would restart 500 ms after an exit (exp_backoff_restart_delay): watching three times that
// long shows it did not.
const NO_RESTART_WINDOW_MS = 1500;
// Guest rows per second: enough that a gap of half a second is many missing rows.
const AGENT_RATE = 50;
// vmtel's start under pm2 (daemon, node, config, workers) on a loaded two-core host.
const START_TIMEOUT_MS = 15_000;

const GUEST = '  guest_agent: {}\n';
const QMP = '  qmp:\n    interval_ms: 200\n';
const GUEST_FILE = 'telemetry-guest.jsonl';

interface Episode {
  runDir: string;
  configPath: string;
  pm2: Pm2;
  events(name?: string): Array<Record<string, unknown>>;
  rows(file: string): Array<Record<string, unknown>>;
  /** Sends a cue line to the simulated VM (e.g. `shutdown`). */
  cue(line: string): void;
}

/**
 * Starts the simulated VM in a fresh run dir, writes a per-VM YAML with `collectors` (YAML text
 * for the `collectors:` mapping) and starts it through ecosystem.config.js in a pm2 of its own.
 */
async function startEpisode(t: TestContext, collectors: string): Promise<Episode> {
  // After-hooks run in the order they are registered: pm2 (and vmtel) go first, then the
  // simulated VM, and only then is the run dir removed, so nothing writes into a removed folder.
  const pm2 = usePm2(t);
  let sim: ChildProcessWithoutNullStreams | undefined;
  t.after(() => {
    if (sim !== undefined && sim.exitCode === null && sim.signalCode === null) sim.kill('SIGKILL');
  });
  const dir = tempDir(t);
  const runDir = join(dir, 'run');
  const child = spawn(process.execPath, [CLI, 'sim', '--run-dir', runDir, '--agent-rate', String(AGENT_RATE)]);
  sim = child;
  child.stderr.pipe(process.stderr);
  let said = '';
  child.stdout.on('data', (chunk: Buffer) => (said += chunk.toString()));
  await waitFor('the simulated VM to say ready', () => said.includes('"sim":"ready"'), 10_000);

  const configPath = join(dir, `${VM}.yaml`);
  writeFileSync(configPath, `vm: ${VM}\nepisode: ep1\nrun_dir: ${runDir}\nstop_grace_ms: ${STOP_GRACE_MS}\ncollectors:\n${collectors}`);
  const started = await pm2.run(['start', 'ecosystem.config.js'], { VMTEL_CONFIG: configPath });
  assert.equal(started.code, 0, `pm2 start failed: ${started.stderr}`);
  return {
    runDir,
    configPath,
    pm2,
    events: (name) => readJsonl(join(runDir, 'events.jsonl')).filter((event) => name === undefined || event['event'] === name),
    rows: (file) => readJsonl(join(runDir, file)),
    cue: (line) => void child.stdin.write(`${line}\n`),
  };
}

const online = (app: Pm2Process): boolean => app.pm2_env.status === 'online' && app.pid > 0;
const exited = (app: Pm2Process): boolean => app.pm2_env.exit_code !== undefined && app.pid === 0;

/** Watches the app for NO_RESTART_WINDOW_MS and fails if pm2 starts it again. */
async function assertNotRestarted(pm2: Pm2): Promise<void> {
  const until = Date.now() + NO_RESTART_WINDOW_MS;
  while (Date.now() < until) {
    const app = (await pm2.jlist()).find((candidate) => candidate.name === APP);
    assert.ok(app !== undefined, `${APP} vanished from pm2 jlist`);
    assert.equal(app.pm2_env.restart_time, 0, `${APP} was restarted`);
    assert.equal(app.pid, 0, `${APP} is running again (pid ${app.pid})`);
  }
}

/** Every line of every JSONL file parses (readJsonl throws naming a torn one) and each has rows. */
function assertNothingTorn(episode: Episode, files: string[]): void {
  assert.ok(episode.events().length > 0);
  for (const file of files) assert.ok(episode.rows(file).length > 0, `no rows in ${file}`);
}

test('SIGKILL: pm2 restarts vmtel, the episode keeps its origin and the gap shows in the data', async (t) => {
  const episode = await startEpisode(t, GUEST);
  const first = await episode.pm2.waitForApp(APP, 'online', online, START_TIMEOUT_MS);
  await waitFor('guest rows before the kill', () => episode.rows(GUEST_FILE).length >= 10, START_TIMEOUT_MS);
  const originNs = readManifest(episode.runDir)?.t_mono_origin_ns;
  const rowsBeforeKill = episode.rows(GUEST_FILE).length;

  process.kill(first.pid, 'SIGKILL');
  const second = await episode.pm2.waitForApp(APP, 'restarted once and online', (app) => online(app) && app.pm2_env.restart_time === 1, START_TIMEOUT_MS);
  assert.notEqual(second.pid, first.pid);
  await waitFor('guest rows after the restart', () => episode.rows(GUEST_FILE).length >= rowsBeforeKill + 20, START_TIMEOUT_MS);
  await episode.pm2.run(['stop', APP]);
  await episode.pm2.waitForApp(APP, 'stopped', (app) => app.pm2_env.status === 'stopped');

  const manifest = readManifest(episode.runDir);
  assert.ok(manifest !== null);
  assert.equal(manifest.t_mono_origin_ns, originNs, 'the restart took a new origin');
  // Small origins (a freshly booted host) parse as numbers: compare as bigint.
  assert.deepEqual(manifest.starts.map((start) => [start.pid, BigInt(start.t_mono_origin_ns)]), [[first.pid, originNs], [second.pid, originNs]]);
  assert.equal(manifest.orchestrator_restarts, 1);
  assert.equal(manifest.status, 'stopped');
  const [restarted, ...more] = episode.events('orchestrator_restarted');
  assert.equal(more.length, 0);
  assert.deepEqual({ ...restarted, t_mono_ns: 0, t_wall_ns: 0 }, {
    t_mono_ns: 0, t_wall_ns: 0, source: 'orchestrator', event: 'orchestrator_restarted', count: 1, previous_pid: first.pid, previous_status: 'running',
  });
  assert.equal(episode.events('episode_started').length, 2);

  // One timeline: host stamps never go back (rows read in one chunk share theirs), and the
  // restart is the one long silence between rows.
  const rows = episode.rows(GUEST_FILE);
  const stamps = rows.map((row) => BigInt(row['t_mono_ns'] as number));
  const silences = stamps.slice(1).map((stamp, index) => stamp - (stamps[index] as bigint));
  assert.ok(silences.every((ns) => ns >= 0n), 'row stamps went backwards');
  const longest = silences.reduce((a, b) => (b > a ? b : a));
  const at = silences.indexOf(longest);
  assert.ok(longest > 300_000_000n, `no visible gap: the longest silence between guest rows is ${longest} ns`);
  const restartedAtNs = BigInt(restarted?.['t_mono_ns'] as number);
  assert.ok((stamps[at] as bigint) < restartedAtNs && restartedAtNs < (stamps[at + 1] as bigint), 'orchestrator_restarted is not inside the gap');
  // The guest numbers its own rows: they go on after the gap, none twice, and rows the dead
  // process had read but not written show as missing numbers.
  const seqs = rows.map((row) => row['seq'] as number);
  assert.ok(seqs.slice(1).every((seq, index) => seq > (seqs[index] as number)), 'guest seq repeated or went backwards');
  assert.equal(rows[0]?.['source'], 'guest_agent');
  assertNothingTorn(episode, [GUEST_FILE]);
});

test('pm2 stop: vmtel stops within the kill timeout, the manifest is complete and nothing is torn', async (t) => {
  const episode = await startEpisode(t, `${GUEST}${QMP}`);
  await episode.pm2.waitForApp(APP, 'online', online, START_TIMEOUT_MS);
  await waitFor('guest and qmp rows', () => episode.rows(GUEST_FILE).length >= 10 && episode.rows('telemetry-qmp.jsonl').length >= 2, START_TIMEOUT_MS);

  const stopped = await episode.pm2.run(['stop', APP]);
  assert.equal(stopped.code, 0, stopped.stderr);
  const app = await episode.pm2.waitForApp(APP, 'stopped', (candidate) => candidate.pm2_env.status === 'stopped');
  assert.equal(app.pm2_env.exit_code, 3, 'a finished episode says so with its own exit code under pm2');
  assert.equal(app.pm2_env.restart_time, 0);
  assert.equal(app.pm2_env.kill_timeout, STOP_GRACE_MS + 2000);
  assert.doesNotMatch(readFileSync(join(episode.pm2.home, 'pm2.log'), 'utf8'), /sending it SIGKILL/, 'pm2 had to SIGKILL vmtel');

  const manifest = readManifest(episode.runDir);
  assert.equal(manifest?.status, 'stopped');
  assert.equal(manifest?.stop_reason, 'signal');
  assert.equal(manifest?.collectors['guest_agent']?.rows, episode.rows(GUEST_FILE).length, 'manifest and file disagree on guest rows');
  assert.equal(manifest?.collectors['qmp']?.rows, episode.rows('telemetry-qmp.jsonl').length, 'manifest and file disagree on qmp rows');
  assert.equal(episode.events().at(-1)?.['event'], 'episode_stopped');
  assertNothingTorn(episode, [GUEST_FILE, 'telemetry-qmp.jsonl']);
});

test('a VM that shuts down ends the episode: exit 3 (done), not restarted; a pm2 restart of it is refused (exit 2), not retried', async (t) => {
  const episode = await startEpisode(t, `${GUEST}${QMP}`);
  await episode.pm2.waitForApp(APP, 'online', online, START_TIMEOUT_MS);
  await waitFor('qmp rows', () => episode.rows('telemetry-qmp.jsonl').length >= 1, START_TIMEOUT_MS);

  episode.cue('shutdown');
  const app = await episode.pm2.waitForApp(APP, 'exited', exited);
  assert.equal(app.pm2_env.exit_code, 3, 'a finished episode says so with its own exit code under pm2');
  await assertNotRestarted(episode.pm2);

  const manifest = readManifest(episode.runDir);
  assert.equal(manifest?.status, 'stopped');
  assert.equal(episode.events('stop_requested')[0]?.['requested_by'], 'qmp');
  assertNothingTorn(episode, [GUEST_FILE, 'telemetry-qmp.jsonl']);

  // A second trial on the finished run dir (`pm2 restart`) is refused with exit 2, final for pm2,
  // and the episode's files are left as they were.
  const eventsBefore = readFileSync(join(episode.runDir, 'events.jsonl'), 'utf8');
  assert.equal((await episode.pm2.run(['restart', APP])).code, 0);
  const refused = await episode.pm2.waitForApp(APP, 'refused', (a) => exited(a) && a.pm2_env.exit_code === 2, START_TIMEOUT_MS);
  assert.match(readFileSync(refused.pm2_env.pm_err_log_path, 'utf8'), /which ended at .*\[VMTEL_EPISODE_FINISHED\]\n$/);
  const until = Date.now() + NO_RESTART_WINDOW_MS;
  while (Date.now() < until) {
    const app = (await episode.pm2.jlist()).find((candidate) => candidate.name === APP);
    assert.equal(app?.pm2_env.restart_time, refused.pm2_env.restart_time, 'pm2 retried the refused start');
  }
  assert.equal(readFileSync(join(episode.runDir, 'events.jsonl'), 'utf8'), eventsBefore);
  assert.equal(readManifest(episode.runDir)?.orchestrator_restarts, 0);
});

test("a config error is one line in pm2's error log and is not restarted", async (t) => {
  const episode = await startEpisode(t, '  guest_agent:\n    max_depth: 0\n');
  const app = await episode.pm2.waitForApp(APP, 'exited', exited, START_TIMEOUT_MS);
  assert.equal(app.pm2_env.exit_code, 2);
  await assertNotRestarted(episode.pm2);

  assert.equal(app.pm2_env.pm_err_log_path, join(episode.runDir, PM2_ERROR_LOG));
  const errorLog = readFileSync(app.pm2_env.pm_err_log_path, 'utf8');
  assert.match(errorLog, /^vmtel: [^\n]+:7: collectors\.guest_agent\.max_depth: expected [^\n]+, got 0 \[VMTEL_CONFIG_INVALID\]\n$/);
  assert.ok(errorLog.startsWith(`vmtel: ${episode.configPath}:7: `), errorLog);
});

test('a collector that crashes is restarted inside vmtel; pm2 sees no restart', async (t) => {
  const episode = await startEpisode(t, `${GUEST}  crash:\n    module: ${fixtureModule('crashing')}\n`);
  const first = await episode.pm2.waitForApp(APP, 'online', online, START_TIMEOUT_MS);
  await waitFor('the crashing collector to fail twice', () => episode.events('collector_failed').length >= 2, START_TIMEOUT_MS);
  const guestRows = episode.rows(GUEST_FILE).length;
  await waitFor('guest rows after the crashes', () => episode.rows(GUEST_FILE).length > guestRows, START_TIMEOUT_MS);

  const app = await episode.pm2.waitForApp(APP, 'still online', online);
  assert.equal(app.pid, first.pid);
  assert.equal(app.pm2_env.restart_time, 0);
  assert.ok(episode.events('collector_failed').every((event) => event['source'] === 'crash' && event['code'] === 'FIXTURE_CRASH'));
  assert.ok(episode.events('collector_restarted').length >= 1);
  assert.equal(episode.events('orchestrator_restarted').length, 0);
});
