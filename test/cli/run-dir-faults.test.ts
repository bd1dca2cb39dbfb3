// Host faults under a real `vmtel run`, on real mounts: a full disk that is freed, a run dir
// removed or made read-only mid-episode, a full or read-only disk at start, a refused start, and
// links planted at every name vmtel writes. Each run asserts that rows are on disk once and whole
// (or counted as dropped) and that the manifest equals the files.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readManifest } from '../../src/orchestrator/manifest';
import { NOBODY_SKIP, nodeAsNobody } from '../helpers/as-nobody';
import { fixtureModule } from '../helpers/episode-config';
import { readJsonl } from '../helpers/jsonl';
import { tempDir } from '../helpers/temp-dir';
import { fillDisk, mountTmpfs, MOUNT_SKIP_REASON, remount } from '../helpers/tmpfs';
import { CLI, runVmtel, startVmtel } from '../helpers/vmtel-process';
import { waitFor, withDeadline } from '../helpers/wait-for';

const skip = MOUNT_SKIP_REASON ?? false;

function writeConfig(dir: string, runDir: string, logLevel = 'warn'): string {
  const path = join(dir, 'vm.yaml');
  writeFileSync(
    path,
    `vm: testvm\nepisode: ep1\nrun_dir: '${runDir}'\nlog_level: ${logLevel}\ncollectors:\n  tick:\n    module: ${fixtureModule('ticking')}\n    interval_ms: 2\n`,
  );
  return path;
}

// Rows on disk: whole (readJsonl throws on a torn line), numbered from 0 without a repeat, every
// missing number counted as dropped; and the manifest's counts are the file's.
function assertRowsAccountedFor(runDir: string): { rows: number; dropped: number } {
  const rows = readJsonl(join(runDir, 'telemetry-tick.jsonl'));
  const seqs = rows.map((r) => r['seq'] as number);
  assert.equal(new Set(seqs).size, seqs.length, 'no row twice');
  assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'rows in order');
  const manifest = readManifest(runDir)!;
  const tick = manifest.collectors['tick']!;
  assert.equal(tick.rows, rows.length, 'manifest rows = rows on disk');
  assert.equal(tick.bytes, statSync(join(runDir, 'telemetry-tick.jsonl')).size, 'manifest bytes = file size');
  const dropped = tick.dropped['write_failed'] ?? 0;
  assert.equal((seqs.at(-1) ?? -1) + 1 - rows.length <= dropped, true, 'every row missing before the last is counted as dropped');
  return { rows: rows.length, dropped };
}

test('a full disk mid-episode, then freed: write_failed, write_recovered, every row on disk once and whole', { skip }, async (t) => {
  const mount = mountTmpfs(t, 2 * 1024 * 1024);
  const runDir = join(mount, 'run');
  const config = writeConfig(tempDir(t), runDir, 'info');
  const vmtel = startVmtel(t, ['run', '--config', config]);
  await waitFor('rows before the fault', () => readJsonl(join(runDir, 'telemetry-tick.jsonl')).length > 50, 20_000);
  const filler = fillDisk(mount);
  await waitFor('vmtel to say its writes fail', () => /writing .*telemetry-tick\.jsonl failed \(ENOSPC\)/.test(vmtel.stderr()), 10_000);
  rmSync(filler);
  await waitFor('vmtel to say its writes work again', () => /telemetry-tick\.jsonl works again/.test(vmtel.stderr()), 15_000);
  const atRecovery = readJsonl(join(runDir, 'telemetry-tick.jsonl')).length;
  await waitFor('rows after the fault', () => readJsonl(join(runDir, 'telemetry-tick.jsonl')).length > atRecovery + 50, 10_000);
  vmtel.child.kill('SIGTERM');
  assert.equal(await withDeadline('vmtel to stop', vmtel.exited, 15_000), 0, vmtel.stderr());

  const { rows, dropped } = assertRowsAccountedFor(runDir);
  assert.equal(dropped, 0, 'a short fault loses nothing: the held rows were written');
  const seqs = readJsonl(join(runDir, 'telemetry-tick.jsonl')).map((r) => r['seq']);
  assert.deepEqual(seqs, Array.from({ length: rows }, (_, i) => i), 'rows before, during and after the fault, each once');
  const events = readJsonl(join(runDir, 'events.jsonl')).map((e) => e['event']);
  assert.ok(events.includes('write_failed') && events.includes('write_recovered'), events.join(','));
  assert.equal(events.at(-1), 'episode_stopped');
  assert.ok(!/\n\s+at /.test(vmtel.stderr()), 'no stack on the terminal');
});

test('the run dir removed mid-episode: a clean stop, one line with VMTEL_RUN_DIR_LOST, exit 4', async (t) => {
  const runDir = join(tempDir(t), 'run');
  const config = writeConfig(tempDir(t), runDir);
  const vmtel = startVmtel(t, ['run', '--config', config]);
  await waitFor('rows', () => readJsonl(join(runDir, 'telemetry-tick.jsonl')).length > 10, 20_000);
  rmSync(runDir, { recursive: true, force: true });
  assert.equal(await withDeadline('vmtel to stop on its own (next manifest rewrite)', vmtel.exited, 20_000), 4, vmtel.stderr());
  assert.match(vmtel.stderr(), /^vmtel: run directory .* was removed or became read-only while recording; the episode was stopped .*\[VMTEL_RUN_DIR_LOST\]$/m);
  assert.ok(!/\n\s+at /.test(vmtel.stderr()), 'no stack on the terminal');
});

test('the run dir made read-only mid-episode: a clean stop with exit 4, rows already on disk whole', { skip }, async (t) => {
  const dir = tempDir(t);
  const runDir = join(dir, 'run');
  const config = writeConfig(dir, runDir);
  const vmtel = startVmtel(t, ['run', '--config', config]);
  await waitFor('rows', () => readJsonl(join(runDir, 'telemetry-tick.jsonl')).length > 10, 20_000);
  // Linux refuses to remount a file system read-only while files on it are open for writing, so
  // the run dir's path is covered by a read-only view of itself: every file vmtel creates from
  // now on (the manifest's next rewrite) meets EROFS.
  execFileSync('mount', ['--bind', runDir, runDir]);
  try {
    execFileSync('mount', ['-o', 'remount,ro,bind', runDir]);
    assert.equal(await withDeadline('vmtel to stop on its own', vmtel.exited, 20_000), 4, vmtel.stderr());
  } finally {
    execFileSync('umount', ['-l', runDir]);
  }
  assert.match(vmtel.stderr(), /^vmtel: .*\[VMTEL_RUN_DIR_LOST\]$/m);
  assert.ok(!/\n\s+at /.test(vmtel.stderr()), 'no stack on the terminal');
  readJsonl(join(runDir, 'telemetry-tick.jsonl'));
  const events = readJsonl(join(runDir, 'events.jsonl'));
  const stop = events.find((e) => e['event'] === 'stop_requested');
  assert.equal(stop?.['reason'], 'run_dir_lost');
  assert.equal(stop?.['code'], 'EROFS');
  assert.equal(events.at(-1)?.['event'], 'episode_stopped');
});

test('a read-only file system at start: VMTEL_RUN_DIR_READ_ONLY, exit 2, one line', { skip }, async (t) => {
  const mount = mountTmpfs(t, 256 * 1024);
  mkdirSync(join(mount, 'existing'), { mode: 0o750 });
  remount(mount, 'ro');
  for (const runDir of [join(mount, 'existing'), join(mount, 'new')]) {
    const { code, stderr } = await runVmtel(t, ['run', '--config', writeConfig(tempDir(t), runDir)]);
    assert.equal(code, 2, stderr);
    assert.match(stderr, /^vmtel: .*read-only file system \(EROFS\) \[VMTEL_RUN_DIR_READ_ONLY\]\n$/);
  }
});

test('a full disk at start: VMTEL_DISK_FULL, exit 1, one line, nothing left in the run dir', { skip }, async (t) => {
  const mount = mountTmpfs(t, 128 * 1024);
  fillDisk(mount);
  const runDir = join(mount, 'run');
  const { code, stderr } = await runVmtel(t, ['run', '--config', writeConfig(tempDir(t), runDir)]);
  assert.equal(code, 1, stderr);
  assert.match(stderr, /^vmtel: .*no space left \(ENOSPC\) \[VMTEL_DISK_FULL\]\n$/);
  assert.deepEqual(readdirSync(runDir), []);
});

test('permission denied at start: VMTEL_RUN_DIR_DENIED, exit 2, one line', { skip: NOBODY_SKIP }, (t) => {
  // Root may write anywhere, so vmtel runs as nobody, in a folder only root may write to.
  const dir = tempDir(t);
  chmodSync(dir, 0o755);
  const config = writeConfig(dir, join(dir, 'run'));
  const denied = nodeAsNobody([CLI, 'run', '--config', config]);
  assert.equal(denied.status, 2, denied.stderr);
  assert.match(denied.stderr, /^vmtel: cannot create run directory .* in .*: permission denied \(EACCES\) \[VMTEL_RUN_DIR_DENIED\]\n$/);
});

test("a refused start writes nothing into the other episode's run dir and prints one line", async (t) => {
  const dir = tempDir(t);
  const runDir = join(dir, 'run');
  const config = writeConfig(dir, runDir);
  const first = startVmtel(t, ['run', '--config', config]);
  await waitFor('the first episode to record', () => readJsonl(join(runDir, 'telemetry-tick.jsonl')).length > 5, 20_000);
  const logBefore = readFileSync(join(runDir, 'vmtel.log'), 'utf8');
  const busy = await runVmtel(t, ['run', '--config', config]);
  assert.equal(busy.code, 1);
  assert.match(busy.stderr, /^vmtel: run directory .* is in use by vmtel process \d+ \[VMTEL_RUN_DIR_BUSY\]\n$/);
  // Another episode's config on the same run dir, once the first has stopped.
  first.child.kill('SIGTERM');
  assert.equal(await withDeadline('the first to stop', first.exited, 15_000), 0, first.stderr());
  const otherConfig = join(dir, 'other.yaml');
  writeFileSync(otherConfig, readFileSync(config, 'utf8').replace('episode: ep1', 'episode: ep2'));
  const listing = readdirSync(runDir).sort();
  const logAfterStop = readFileSync(join(runDir, 'vmtel.log'), 'utf8');
  const mismatch = await runVmtel(t, ['run', '--config', otherConfig]);
  assert.equal(mismatch.code, 2);
  assert.match(mismatch.stderr, /^vmtel: run directory .* holds vm "testvm" episode "ep1", not vm "testvm" episode "ep2" \[VMTEL_RUN_DIR_MISMATCH\]\n$/);
  assert.deepEqual(readdirSync(runDir).sort(), listing, 'no file added');
  assert.equal(readFileSync(join(runDir, 'vmtel.log'), 'utf8'), logAfterStop, "the other episode's log untouched");
  assert.ok(!logAfterStop.slice(logBefore.length).includes('VMTEL_RUN_DIR_BUSY'), 'the busy refusal is not in its log');
  assertRowsAccountedFor(runDir);
});

for (const name of ['events.jsonl', 'episode.json', 'vmtel.log', 'vmtel.lock', 'telemetry-tick.jsonl', 'old.jsonl', 'old.jsonl.torn']) {
  test(`a link at ${name} in the run dir: vmtel run refuses with VMTEL_RUN_DIR_UNSAFE and the victim is unchanged`, async (t) => {
    const dir = tempDir(t);
    const runDir = join(dir, 'run');
    mkdirSync(runDir, { mode: 0o750 });
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'precious\ntail without newline');
    symlinkSync(victim, join(runDir, name));
    // A torn line to repair, so the .torn name is reached.
    if (name === 'old.jsonl.torn') writeFileSync(join(runDir, 'old.jsonl'), '{"a":1}\n{"b":');
    const { code, stderr } = await runVmtel(t, ['run', '--config', writeConfig(dir, runDir)]);
    assert.equal(code, 2, stderr);
    assert.match(stderr, /^vmtel: refusing .*: it is a symbolic link; .* \[VMTEL_RUN_DIR_UNSAFE\]\n$/);
    assert.equal(readFileSync(victim, 'utf8'), 'precious\ntail without newline');
  });
}
