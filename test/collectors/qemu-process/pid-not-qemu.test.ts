// QEMU's pid file is checked every time it is read: a pid that is not a QEMU process (pid 1, an
// unrelated process, one that does not exist) or text that is no pid is an event and a wait,
// never a sample; a real QEMU started later is then found and sampled.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { collector } from '../../../src/collectors/qemu-process';
import { startInThread } from '../../helpers/collector-in-thread';
import { readJsonl } from '../../helpers/jsonl';
import { tempDir } from '../../helpers/temp-dir';
import { waitFor, withDeadline } from '../../helpers/wait-for';

const QEMU = 'qemu-system-x86_64';

test('a pid file naming pid 1, an unrelated process, garbage or no process is waited out; a real QEMU is then sampled', async (t) => {
  const runDir = tempDir(t);
  const pidfile = join(runDir, 'qemu.pid');
  const qemu = startInThread(collector, { runDir, options: { interval_ms: 20 }, flushMs: 10 });
  t.after(() => qemu.stop());
  const refusals = (): Array<Record<string, unknown>> => qemu.events('qemu_process_not_qemu').map((event) => event.fields);

  writeFileSync(pidfile, '1\n');
  await waitFor('pid 1 refused', () => refusals().length === 1);
  writeFileSync(pidfile, `${process.pid}\n`);
  await waitFor('this node process refused', () => refusals().length === 2);
  writeFileSync(pidfile, 'not a pid\n');
  const reaped = spawnSync('true').pid;
  writeFileSync(pidfile, `${reaped}\n`);
  await waitFor('a pid of no process refused', () => refusals().length === 3);
  assert.deepEqual(
    refusals().map((fields) => [fields['pid'], fields['pidfile'], fields['process_names']]),
    [
      [1, pidfile, ['qemu-system-*', 'qemu-kvm']],
      [process.pid, pidfile, ['qemu-system-*', 'qemu-kvm']],
      [reaped, pidfile, ['qemu-system-*', 'qemu-kvm']],
    ],
  );
  assert.equal(typeof refusals()[0]!['process_name'], 'string');
  assert.equal(refusals()[1]!['process_name'], basename(process.execPath));
  assert.equal(refusals()[2]!['process_name'], null);
  assert.deepEqual(readJsonl(qemu.outputPath), [], 'nothing sampled');
  assert.deepEqual(qemu.events('qemu_process_found'), []);

  // A real QEMU, paused before it runs anything: the process the pid file should name.
  const vm = spawn(QEMU, ['-machine', 'none', '-display', 'none', '-nodefaults', '-S', '-monitor', 'none'], { stdio: 'ignore' });
  t.after(() => {
    if (vm.exitCode === null && vm.signalCode === null) vm.kill('SIGKILL');
  });
  await withDeadline('QEMU to start', once(vm, 'spawn'));
  writeFileSync(pidfile, `${vm.pid}\n`);
  await waitFor('rows of the QEMU process', () => readJsonl(qemu.outputPath).length >= 2);
  assert.deepEqual(qemu.events('qemu_process_found').map((event) => event.fields), [{ pid: vm.pid }]);
  assert.ok(readJsonl(qemu.outputPath).every((row) => row['pid'] === vm.pid));
  assert.equal(refusals().length, 3, 'each refused pid reported once, however often the file was read');
});
