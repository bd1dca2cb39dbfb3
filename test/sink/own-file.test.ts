// A link planted at the name of a file vmtel writes is never followed: the victim it points at
// stays as it was, whichever of vmtel's writers meets it. Nor is a FIFO waited on, nor another
// user's file written.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, closeSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readCheckpoint } from '../../src/fleet/ship-checkpoint';
import { writeFileAtomic } from '../../src/orchestrator/atomic-file';
import { readManifest } from '../../src/orchestrator/manifest';
import { RunDirLock } from '../../src/orchestrator/run-dir-lock';
import { countLines } from '../../src/sink/count-lines';
import { JsonlWriter } from '../../src/sink/jsonl-writer';
import { octal, openOwnFile, readOwnText } from '../../src/sink/own-file';
import { repairTornTail } from '../../src/sink/torn-line-repair';
import { NOBODY_SKIP, nodeAsNobody } from '../helpers/as-nobody';
import { tempDir } from '../helpers/temp-dir';

const VICTIM_TEXT = 'secret line one\nsecret tail without newline';

// A victim outside the run dir and a link to it at `name` inside; returns both paths.
function plantLink(t: Parameters<typeof tempDir>[0], name: string): { runDir: string; link: string; victim: string } {
  const runDir = tempDir(t);
  const victim = join(tempDir(t), 'victim');
  writeFileSync(victim, VICTIM_TEXT);
  const link = join(runDir, name);
  symlinkSync(victim, link);
  return { runDir, link, victim };
}

function assertRefused(what: string, action: () => unknown): void {
  assert.throws(action, (err: Error & { code?: string }) => err.code === 'VMTEL_RUN_DIR_UNSAFE' && /symbolic link/.test(err.message), what);
}

const writers: Array<[string, string, (link: string) => unknown]> = [
  ['the JSONL writer (rows, events, vmtel.log)', 'telemetry-guest.jsonl', (link) => new JsonlWriter(link, { flushMs: 1 })],
  ['torn-line repair', 'x.jsonl', (link) => repairTornTail(link)],
  ['the line count of a restart', 'telemetry-host.jsonl', (link) => countLines(link)],
  ['the manifest reader', 'episode.json', (link) => readManifest(join(link, '..'))],
  ['the ship checkpoint reader', 'ship-checkpoint.json', (link) => readCheckpoint(join(link, '..'), 'stream', 'prefix')],
];
for (const [what, name, action] of writers) {
  test(`${what} never follows a link at ${name}; the victim is unchanged`, (t) => {
    const { link, victim } = plantLink(t, name);
    assertRefused(what, () => action(link));
    assert.equal(readFileSync(victim, 'utf8'), VICTIM_TEXT);
  });
}

test('torn-line repair never writes through a link at <file>.torn', (t) => {
  const { runDir, victim } = plantLink(t, 'x.jsonl.torn');
  writeFileSync(join(runDir, 'x.jsonl'), '{"a":1}\n{"b":');
  assertRefused('the .torn file', () => repairTornTail(join(runDir, 'x.jsonl')));
  assert.equal(readFileSync(victim, 'utf8'), VICTIM_TEXT);
});

test('the run-dir lock refuses a link at vmtel.lock; the victim is unchanged', (t) => {
  const { runDir, victim } = plantLink(t, 'vmtel.lock');
  assertRefused('the lock', () => RunDirLock.acquire(runDir));
  assert.equal(readFileSync(victim, 'utf8'), VICTIM_TEXT);
});

test('an atomic rewrite replaces a link at its name, never the file it points at', (t) => {
  const { link, victim } = plantLink(t, 'episode.json');
  writeFileAtomic(link, '{"new":true}\n', { durable: false });
  assert.equal(readFileSync(victim, 'utf8'), VICTIM_TEXT);
  assert.equal(readFileSync(link, 'utf8'), '{"new":true}\n');
  assert.ok(statSync(link).isFile());
});

test('a FIFO at a file name is refused at once, not waited on', (t) => {
  const path = join(tempDir(t), 'events.jsonl');
  execFileSync('mkfifo', [path]);
  assert.throws(() => new JsonlWriter(path, { flushMs: 1 }), (err: Error & { code?: string }) => err.code === 'VMTEL_RUN_DIR_UNSAFE' && /FIFO/.test(err.message));
});

test('a file created here gets the mode asked for (0640 by default) under an open umask', (t) => {
  const dir = tempDir(t);
  const previous = process.umask(0);
  try {
    new JsonlWriter(join(dir, 'a.jsonl'), { flushMs: 1 }).close();
    new JsonlWriter(join(dir, 'b.jsonl'), { flushMs: 1, fileMode: 0o600 }).close();
  } finally {
    process.umask(previous);
  }
  assert.equal(statSync(join(dir, 'a.jsonl')).mode & 0o777, 0o640);
  assert.equal(statSync(join(dir, 'b.jsonl')).mode & 0o777, 0o600);
});

test("another user's file is never opened for writing", { skip: process.geteuid?.() === 0 ? false : 'chown to another user needs root' }, (t) => {
  const path = join(tempDir(t), 'telemetry-guest.jsonl');
  writeFileSync(path, '{"theirs":1}\n');
  chownSync(path, 65534, 65534);
  assert.throws(() => openOwnFile(path, 'append'), (err: Error & { code?: string }) => err.code === 'VMTEL_RUN_DIR_UNSAFE' && /uid 65534/.test(err.message));
  assert.equal(readFileSync(path, 'utf8'), '{"theirs":1}\n');
});

test('a file that exists keeps its mode unless the mode is enforced, which sets it', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'events.jsonl');
  writeFileSync(path, '{}\n', { mode: 0o600 });
  closeSync(openOwnFile(path, 'append', 0o640).fd);
  assert.equal(statSync(path).mode & 0o7777, 0o600, 'an ordinary open leaves the mode alone');
  closeSync(openOwnFile(path, 'append', 0o640, true).fd);
  assert.equal(statSync(path).mode & 0o7777, 0o640, 'file_mode enforced at start');
});

test('a directory at a file name is refused as not a regular file', (t) => {
  const path = join(tempDir(t), 'episode.json');
  mkdirSync(path);
  assert.throws(
    () => openOwnFile(path, 'read'),
    (err: Error & { code?: string }) => err.code === 'VMTEL_RUN_DIR_UNSAFE' && err.message === `refusing ${path}: it is not a regular file; vmtel writes only regular files of its own and never through a link`,
  );
});

test('a file of its own is read whole; a missing one is null; no descriptor is left open', (t) => {
  const openFds = (): number => readdirSync('/proc/self/fd').length;
  const dir = tempDir(t);
  writeFileSync(join(dir, 'episode.json'), '{"vm":"a"}\n');
  const before = openFds();
  assert.equal(readOwnText(join(dir, 'episode.json')), '{"vm":"a"}\n');
  assert.equal(readOwnText(join(dir, 'missing.json')), null);
  assert.equal(openFds(), before);
});

test('modes are written as people write them', () => {
  assert.equal(octal(0o640), '0640');
  assert.equal(octal(0o7), '0007');
  assert.equal(octal(0o100644), '0644');
  assert.equal(octal(0o4750), '04750');
});

test("a user who is not root is refused root's file, readable as it is", { skip: NOBODY_SKIP }, (t) => {
  const dir = tempDir(t);
  chmodSync(dir, 0o755);
  const path = join(dir, 'episode.json');
  writeFileSync(path, '{"vm":"a"}\n', { mode: 0o644 });
  const script = `try { require(${JSON.stringify(require.resolve('../../src/sink/own-file'))}).openOwnFile(${JSON.stringify(path)}, 'read'); console.log('opened'); } catch (err) { console.log(err.message); }`;
  const asNobody = nodeAsNobody(['-e', script]);
  assert.equal(asNobody.stdout, `refusing ${path}: it belongs to uid 0, not to the running user (uid 65534); vmtel writes only regular files of its own and never through a link\n`, asNobody.stderr);
});
