// The qemu_process collector with a child process of the test standing in for QEMU: a late pid
// file, threads sampled, vCPUs matched by a qmp topic or by thread name, the exit noticed; and a
// /proc tree written by the test for what a live process cannot show (no io, a reused pid).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { collector, createQemuProcessCollector } from '../../../src/collectors/qemu-process';
import { startInThread } from '../../helpers/collector-in-thread';
import { openFilesUnder, writeWhole } from '../../helpers/fake-tree';
import { readJsonl } from '../../helpers/jsonl';
import { tempDir } from '../../helpers/temp-dir';
import { waitFor, withDeadline } from '../../helpers/wait-for';

const INTERVAL_MS = 20;
// Rows read back from JSON, indexed freely; the assertions check every field they touch.
type Row = Record<string, any>;

// An idle node process; with `nameVcpus` it names its main thread "CPU 0/KVM" and another
// thread "CPU 1/KVM" the way QEMU (debug-threads=on) names its vCPU threads. Otherwise its main
// thread keeps its executable's name, as QEMU's does: Node 24 and later name their main thread
// "MainThread" at start, so the stand-in gives it back the name it started with.
const STAND_IN = `
const fs = require('node:fs');
fs.writeFileSync('/proc/self/comm', require('node:path').basename(process.execPath).slice(0, 15));
if (process.argv[1] === 'nameVcpus') {
  fs.writeFileSync('/proc/self/comm', 'CPU 0/KVM');
  const other = fs.readdirSync('/proc/self/task').find((tid) => Number(tid) !== process.pid);
  fs.writeFileSync('/proc/self/task/' + other + '/comm', 'CPU 1/KVM');
}
setInterval(() => undefined, 1000);
process.stdout.write('ready\\n');
`;

// The stand-in is node: qemu_process is told to take it for QEMU.
const STAND_IN_NAMES = [basename(process.execPath)];

async function spawnStandIn(t: TestContext, mode = 'plain'): Promise<ChildProcess & { pid: number }> {
  const child = spawn(process.execPath, ['-e', STAND_IN, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  await withDeadline('the stand-in to start', once(child.stdout!, 'data'));
  return child as ChildProcess & { pid: number };
}

test('waits for a late pid file, samples process and threads, marks qmp vCPUs, ends when it exits', async (t) => {
  const runDir = tempDir(t);
  const qemu = startInThread(collector, { runDir, options: { interval_ms: INTERVAL_MS, process_names: STAND_IN_NAMES }, flushMs: 10 });
  t.after(() => qemu.stop());
  await waitFor('the waiting event', () => qemu.events('qemu_process_waiting_for_pidfile').length === 1);

  const child = await spawnStandIn(t);
  writeFileSync(join(runDir, 'qemu.pid'), `${child.pid}\n`);
  await waitFor('a first row', () => readJsonl(qemu.outputPath).length >= 1);
  const vcpuTid = Number(readdirSync(`/proc/${child.pid}/task`).find((tid) => Number(tid) !== child.pid));
  qemu.send({ type: 'shared', topic: 'qmp.vcpu_threads', value: [{ cpu_index: 1, thread_id: vcpuTid }] });
  const row = await waitFor('a row with the qmp vCPU', () =>
    (readJsonl(qemu.outputPath) as Row[]).find((r) => r['vcpu_source'] === 'qmp' && r['utime_ms_delta'] !== null),
  );
  child.kill('SIGKILL');
  await withDeadline('the collector to finish after the exit', qemu.done);

  const [first] = readJsonl(qemu.outputPath) as Row[];
  assert.equal(first?.['vcpu_source'], null);
  assert.equal(first?.['utime_ms_delta'], null);
  assert.equal(row['pid'], child.pid);
  assert.equal(row['source'], 'qemu_process');
  assert.equal(typeof row['stime_ms'], 'number');
  assert.ok(row['memory']['VmRSS_bytes'] > 0);
  assert.ok(row['memory']['VmHWM_bytes'] >= row['memory']['VmRSS_bytes']);
  assert.equal(typeof row['main_thread_voluntary_ctxt_switches_delta'], 'number');
  assert.equal(typeof row['io']['rchar'], 'number');
  const threads = row['threads'] as Row[];
  assert.ok(threads.length >= 2);
  assert.deepEqual(threads.filter((thread) => thread['vcpu_index'] !== null).map((thread) => [thread['thread_id'], thread['vcpu_index']]), [[vcpuTid, 1]]);
  const main = threads.find((thread) => thread['thread_id'] === child.pid);
  // A thread's comm is its executable's name cut to 15 characters until it renames itself.
  assert.equal(main?.['comm'], basename(process.execPath).slice(0, 15));
  assert.equal(typeof main?.['utime_ms_delta'], 'number');
  assert.deepEqual(
    qemu.events().map((e) => [e.event, e.fields]),
    [
      ['qemu_process_waiting_for_pidfile', { pidfile: join(runDir, 'qemu.pid') }],
      ['qemu_process_found', { pid: child.pid }],
      ['qemu_process_exited', { pid: child.pid }],
    ],
  );
  const outcome = qemu.outcome();
  assert.equal(outcome?.type === 'stopped' && outcome.reason, 'process_exited');
});

test('without a usable qmp topic, vCPU threads are found by their names', async (t) => {
  const runDir = tempDir(t);
  const child = await spawnStandIn(t, 'nameVcpus');
  writeFileSync(join(runDir, 'vm.pid'), `${child.pid}\n`);
  const qemu = startInThread(collector, {
    runDir,
    options: { interval_ms: INTERVAL_MS, pidfile: join(runDir, 'vm.pid'), process_names: STAND_IN_NAMES },
    flushMs: 10,
    // A stale map (thread 1 is not the stand-in's) and junk entries: neither may mark a thread.
    shared: { 'qmp.vcpu_threads': [{ cpu_index: 5, thread_id: 1 }, null, 'junk', { cpu_index: '0', thread_id: child.pid }] },
  });
  t.after(() => qemu.stop());
  const row = await waitFor('a row', () => (readJsonl(qemu.outputPath) as Row[])[0]);
  await qemu.stop();

  assert.equal(row['vcpu_source'], 'thread_name');
  const vcpus = (row['threads'] as Row[]).filter((thread) => thread['vcpu_index'] !== null);
  assert.deepEqual(vcpus.map((thread) => [thread['comm'], thread['vcpu_index']]), [['CPU 0/KVM', 0], ['CPU 1/KVM', 1]]);
  assert.equal(vcpus[0]?.['thread_id'], child.pid);
  assert.deepEqual(qemu.events().map((e) => e.event), ['qemu_process_found']);
  assert.equal(qemu.outcome()?.type, 'stopped');
});

test('a pid file that never appears: a timeout event and the collector finishes', async (t) => {
  const runDir = tempDir(t);
  const qemu = startInThread(collector, { runDir, options: { interval_ms: INTERVAL_MS, pidfile_timeout_s: 0.1 } });
  t.after(() => qemu.stop());
  await withDeadline('the collector to give up', qemu.done, 2000);
  assert.deepEqual(
    qemu.events().map((e) => [e.event, e.fields]),
    [
      ['qemu_process_waiting_for_pidfile', { pidfile: join(runDir, 'qemu.pid') }],
      ['qemu_process_pidfile_timeout', { pidfile: join(runDir, 'qemu.pid'), timeout_s: 0.1 }],
    ],
  );
  const outcome = qemu.outcome();
  assert.equal(outcome?.type === 'stopped' && outcome.reason, 'pidfile_timeout');
  assert.deepEqual(readJsonl(qemu.outputPath), []);
});

test('a tree without /proc/PID/io: one event, rows go on; a new start time under the pid is an exit', async (t) => {
  const procRoot = tempDir(t);
  const runDir = tempDir(t);
  writeFakeProcess(procRoot, { utimeTicks: 50, startTimeTicks: 1000 });
  writeFileSync(join(runDir, 'qemu.pid'), '4242\n');
  const qemu = startInThread(createQemuProcessCollector(procRoot), { runDir, options: { interval_ms: INTERVAL_MS }, flushMs: 10 });
  t.after(() => qemu.stop());
  await waitFor('a first row', () => readJsonl(qemu.outputPath).length >= 1);
  writeFakeProcess(procRoot, { utimeTicks: 80, startTimeTicks: 1000 });
  const later = await waitFor('a row with the new utime', () => (readJsonl(qemu.outputPath) as Row[]).find((r) => r['utime_ms'] === 800));
  // Another process now holds pid 4242: QEMU is gone, whatever the pid says.
  writeFakeProcess(procRoot, { utimeTicks: 1, startTimeTicks: 9999 });
  await withDeadline('the collector to finish', qemu.done);

  assert.deepEqual(openFilesUnder(procRoot), []);
  assert.equal(later['utime_ms_delta'], 300);
  assert.equal(later['io'], null);
  assert.equal(later['threads'][0]['comm'], 'qemu) S (evil');
  assert.equal(later['threads'][0]['vcpu_index'], null);
  assert.equal(later['num_threads'], 1);
  assert.deepEqual(later['memory'], { VmRSS_bytes: 2048 * 1024, VmHWM_bytes: 4096 * 1024 });
  assert.equal(later['main_thread_voluntary_ctxt_switches'], 7);
  assert.deepEqual(
    qemu.events().map((e) => [e.event, e.fields]),
    [
      ['qemu_process_found', { pid: 4242 }],
      ['qemu_process_io_unavailable', { pid: 4242, reason: 'ENOENT' }],
      ['qemu_process_exited', { pid: 4242 }],
    ],
  );
});

// /proc/4242 with stat, status and one thread; comm holds ")" and spaces like a hostile name.
function writeFakeProcess(procRoot: string, { utimeTicks, startTimeTicks }: { utimeTicks: number; startTimeTicks: number }): void {
  const fields = Array.from({ length: 52 }, () => '0');
  const set = (n: number, value: string | number): void => void (fields[n - 1] = String(value));
  set(1, 4242);
  set(2, '(qemu) S (evil)');
  set(3, 'S');
  set(14, utimeTicks);
  set(20, 1);
  set(22, startTimeTicks);
  const dir = join(procRoot, '4242');
  mkdirSync(join(dir, 'task', '4242'), { recursive: true });
  writeWhole(join(dir, 'status'), 'Name:\tqemu\nVmHWM:\t    4096 kB\nVmRSS:\t    2048 kB\nvoluntary_ctxt_switches:\t7\n');
  writeWhole(join(dir, 'task', '4242', 'stat'), `${fields.join(' ')}\n`);
  writeWhole(join(dir, 'stat'), `${fields.join(' ')}\n`);
  // No exe link in a fake tree: the name comes from comm, cut to 15 bytes as the kernel does.
  writeWhole(join(dir, 'comm'), 'qemu-system-x86\n');
}
