// `vmtel check` as an operator runs it before an episode: against a real QEMU, against the usual
// mistakes, and with --once, which samples every source and writes nothing.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { startIdleQemu } from '../helpers/idle-qemu';
import { tempDir } from '../helpers/temp-dir';
import { runVmtel, startVmtel } from '../helpers/vmtel-process';
import { waitFor } from '../helpers/wait-for';

function writeConfig(dir: string, lines: string[]): string {
  const path = join(dir, 'vm.yaml');
  writeFileSync(path, ['vm: v', 'episode: e', ...lines, ''].join('\n'));
  return path;
}

/** The check lines as [status, subject, detail]. */
function checkLines(stdout: string): Array<[string, string, string]> {
  return stdout
    .split('\n')
    .map((line) => /^(ok|note|FAIL) +(\S+) +(.*)$/.exec(line))
    .filter((match) => match !== null)
    .map((match) => [match[1]!, match[2]!, match[3]!]);
}

test('a VM that is ready: one ok line per check, exit 0', async (t) => {
  const dir = tempDir(t);
  const qemu = await startIdleQemu(t, dir);
  const config = writeConfig(dir, [
    'run_dir: run',
    'collectors:',
    `  guest_agent: {socket: ${qemu.agentSocket}}`,
    `  qmp: {socket: ${qemu.qmpSocket}}`,
    `  qemu_process: {pidfile: ${qemu.pidfile}}`,
    '  host:',
    '  net: {interface: lo}',
  ]);
  const result = await runVmtel(t, ['check', '--config', config]);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const lines = checkLines(result.stdout);
  assert.deepEqual(lines.map(([status, subject]) => [status === 'note' ? 'ok' : status, subject]), [
    ['ok', 'config'], ['ok', 'run_dir'], ['ok', 'guest_agent'], ['ok', 'qmp'], ['ok', 'qemu_process'], ['ok', 'host'], ['ok', 'net'],
  ]);
  const detail = new Map(lines.map(([, subject, text]) => [subject, text]));
  assert.match(detail.get('run_dir')!, /run will be created \(in .*, writable\)$/);
  assert.match(detail.get('qmp')!, /qmp\.sock: QEMU \d+\.\d+\.\d+ greets$/);
  assert.equal(detail.get('qemu_process'), `${qemu.pidfile} names pid ${qemu.pid}, a live qemu-system-x86`);
  assert.equal(result.stderr, '');
  assert.deepEqual(readdirSync(dir).sort(), ['agent.sock', 'qemu.pid', 'qmp.sock', 'vm.yaml'], 'nothing created');
});

test('the usual mistakes: each a FAIL line saying what to do, exit 1 with VMTEL_CHECK_FAILED', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'agent.sock'), 'a regular file\n');
  writeFileSync(join(dir, 'qemu.pid'), 'garbage\n');
  writeFileSync(join(dir, 'not-a-folder'), '');
  // A socket that accepts but never greets: the monitor taken by another client.
  const silent = createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(join(dir, 'qmp.sock'), resolve));
  t.after(() => silent.close());
  const config = writeConfig(dir, [
    'run_dir: not-a-folder/run',
    'collectors:',
    `  guest_agent: {socket: ${join(dir, 'agent.sock')}}`,
    `  qmp: {socket: ${join(dir, 'qmp.sock')}}`,
    `  qemu_process: {pidfile: ${join(dir, 'qemu.pid')}}`,
    '  net: {interface: tap-nope}',
    `  other: {socket: ${join(dir, 'absent.sock')}, kind: guest_agent, output: other.jsonl}`,
  ]);
  const result = await runVmtel(t, ['check', '--config', config]);
  assert.equal(result.code, 1, result.stdout + result.stderr);
  const detail = new Map(checkLines(result.stdout).map(([status, subject, text]) => [subject, `${status} ${text}`]));
  assert.match(detail.get('config')!, /^ok /);
  assert.match(detail.get('run_dir')!, /^FAIL .*not-a-folder is a file, so .*run cannot be a folder$/);
  assert.match(detail.get('guest_agent')!, /^FAIL .*agent\.sock is a regular file, not a socket: remove it and let QEMU create the socket/);
  assert.match(detail.get('other')!, /^FAIL .*absent\.sock does not exist: QEMU has not created it yet/);
  assert.match(detail.get('qmp')!, /^FAIL .*qmp\.sock accepts connections but sends no QMP greeting within 3 s: another QMP client \(a running vmtel\?\) holds the monitor$/);
  assert.match(detail.get('qemu_process')!, /^FAIL .*qemu\.pid holds "garbage", which is not a pid/);
  assert.match(detail.get('net')!, /^FAIL interface tap-nope does not exist: start the VM with -netdev tap,ifname=tap-nope/);
  assert.equal(result.stderr, 'vmtel: 6 check(s) failed: run_dir, guest_agent, qmp, qemu_process, net, other [VMTEL_CHECK_FAILED]\n');
});

test('a run dir of another episode, or one in use, fails the check', async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'run'));
  writeFileSync(join(dir, 'run', 'episode.json'), JSON.stringify({ vm: 'v', episode: 'other', t_mono_origin_ns: 1, started_wall_ns: 1 }));
  const config = writeConfig(dir, ['run_dir: run', 'collectors:', '  host:']);
  const other = await runVmtel(t, ['check', '--config', config]);
  assert.equal(other.code, 1);
  assert.match(other.stdout, /^FAIL {2}run_dir .*run holds vm "v" episode "other", not this one: choose another run_dir or episode$/m);
  writeFileSync(join(dir, 'run', 'episode.json'), JSON.stringify({ vm: 'v', episode: 'e', status: 'running', t_mono_origin_ns: 1, started_wall_ns: 1 }));
  writeFileSync(join(dir, 'run', 'vmtel.lock'), `${process.pid}\n`);
  const busy = await runVmtel(t, ['check', '--config', config]);
  assert.match(busy.stdout, new RegExp(`^FAIL {2}run_dir .*run is in use by vmtel process ${process.pid}: one vmtel per run dir$`, 'm'));
});

test('a bad config: the same lines as validate, exit 2, no environment check', async (t) => {
  const dir = tempDir(t);
  const config = writeConfig(dir, ['collectors:', '  host: {interval_ms: -5}']);
  const result = await runVmtel(t, ['check', '--config', config]);
  assert.equal(result.code, 2);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /^vmtel: .*vm\.yaml:4: collectors\.host\.interval_ms: expected an integer of at least 10 \(milliseconds\), got -5 \[VMTEL_CONFIG_INVALID\]\n$/);
});

test('--once: one sample of every source and the guest agent first rows, printed; nothing written', async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'q'));
  const qemu = await startIdleQemu(t, join(dir, 'q'));
  const simDir = join(dir, 'sim');
  const sim = startVmtel(t, ['sim', '--run-dir', simDir, '--agent-rate', '50']);
  await waitFor('the simulated VM to be ready', () => sim.stdout().includes('"sim":"ready"'), 10_000);
  const config = writeConfig(dir, [
    'run_dir: run',
    'collectors:',
    `  guest_agent: {socket: ${join(simDir, 'agent.sock')}}`,
    `  qmp: {socket: ${qemu.qmpSocket}, interval_ms: 200}`,
    `  qemu_process: {pidfile: ${qemu.pidfile}, interval_ms: 200}`,
    '  host: {interval_ms: 200}',
    '  net: {interface: lo, interval_ms: 200}',
  ]);
  const before = readdirSync(dir).sort();
  const result = await runVmtel(t, ['check', '--config', config, '--once']);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const sections = new Map(
    result.stdout
      .split('\n\n')
      .map((section) => /^ok +(\S+) +(\d+) rows?\n([^]*)$/.exec(section))
      .filter((match) => match !== null)
      .map((match) => [match[1]!, { rows: Number(match[2]), lines: match[3]!.split('\n').filter((line) => line.startsWith('  {')).map((line) => JSON.parse(line) as Record<string, unknown>) }]),
  );
  assert.deepEqual([...sections.keys()].sort(), ['guest_agent', 'host', 'net', 'qemu_process', 'qmp']);
  const guest = sections.get('guest_agent')!;
  assert.equal(guest.rows, 3);
  assert.equal(guest.lines.length, 3);
  for (const row of guest.lines) assert.equal(row['source'], 'guest_agent');
  assert.ok(guest.lines.every((row) => typeof row['seq'] === 'number' && 't_guest_mono_ns' in row), 'rows as the episode would record them');
  assert.equal(sections.get('qemu_process')!.lines[0]!['pid'], qemu.pid);
  assert.ok(sections.get('qmp')!.lines[0]!['results'] !== undefined);
  assert.equal(sections.get('net')!.lines[0]!['interface'], 'lo');
  assert.ok(sections.get('host')!.lines[0]!['cpu'] !== undefined);
  assert.deepEqual(readdirSync(dir).sort(), before, 'no run dir, no file written');
});
