// What `vmtel run` says while its sources are not there: a line per source at 1, 5, 15... s
// saying what it waits for and why the last look failed, and a line when it gives up.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readJsonl } from '../helpers/jsonl';
import { tempDir } from '../helpers/temp-dir';
import { startVmtel } from '../helpers/vmtel-process';
import { withDeadline } from '../helpers/wait-for';

test('sources that are not there: waiting lines with a diagnosis that fits, a log line for every give-up', async (t) => {
  const dir = tempDir(t);
  const runDir = join(dir, 'run');
  const config = join(dir, 'vm.yaml');
  const agentFile = join(dir, 'agent.sock');
  const pidfile = join(dir, 'qemu.pid');
  // A regular file where QEMU's socket should be, no QMP socket at all, a pid file of garbage.
  writeFileSync(agentFile, 'not a socket\n');
  writeFileSync(pidfile, 'garbage\n');
  writeFileSync(
    config,
    [
      'vm: v',
      'episode: e',
      'run_dir: run',
      'restart:',
      '  max_restarts: 0',
      'collectors:',
      '  guest_agent:',
      `    socket: ${agentFile}`,
      '    connect_timeout_s: 5.5',
      '  qmp:',
      '    connect_timeout_s: 5.5',
      '  qemu_process:',
      `    pidfile: ${pidfile}`,
      '    pidfile_timeout_s: 5.5',
      '    interval_ms: 100',
      '',
    ].join('\n'),
  );
  const vmtel = startVmtel(t, ['run', '--config', config, '--duration', '20']);
  assert.equal(await withDeadline('vmtel to end once every source gave up', vmtel.exited, 25_000), 0, vmtel.stderr());
  const lines = vmtel.stderr().split('\n');
  const linesOf = (source: string) => lines.filter((line) => line.includes(` [${source}] `));

  const agent = linesOf('guest_agent');
  assert.deepEqual(
    agent.filter((line) => line.includes('waiting for')).map((line) => /waiting for .* for (\d+) s/.exec(line)?.[1]),
    ['1', '5'],
    'reported at 1 and 5 s, not per attempt',
  );
  assert.match(agent.find((line) => line.includes('waiting for'))!, /info \[guest_agent\] waiting for the guest agent socket for 1 s: .*agent\.sock is a regular file, not a socket: remove it and let QEMU create the socket \(-chardev socket,id=agent,path=.*agent\.sock,server=on,wait=off\)$/);
  assert.match(agent.find((line) => line.includes('gave up'))!, /warn \[guest_agent\] guest-agent: gave up after 5\.5 s: .*agent\.sock is a regular file, not a socket/);

  const qmp = linesOf('qmp');
  assert.match(qmp.find((line) => line.includes('waiting for'))!, /waiting for the QMP socket for 1 s: .*qmp\.sock does not exist: QEMU has not created it yet \(not started\?\), or its command line names another path \(-qmp unix:.*qmp\.sock,server=on,wait=off\)$/);
  assert.match(qmp.find((line) => line.includes('gave up'))!, /warn \[qmp\] qmp: gave up connecting after \d+ s: .*qmp\.sock does not exist/);

  const qemu = linesOf('qemu_process');
  assert.match(qemu.find((line) => line.includes('waiting for'))!, /waiting for QEMU's pid file for 1 s: .*qemu\.pid holds "garbage", which is not a pid/);
  assert.match(qemu.find((line) => line.includes('gave up'))!, /warn \[qemu_process\] qemu_process: gave up after 5\.5 s: .*qemu\.pid holds "garbage"/);

  // The last two lines of the episode: the pointer to the lines above, then the report's verdict.
  const [noRows, verdict] = lines.filter((line) => line.includes('[orchestrator]')).slice(-2);
  assert.match(noRows!, /warn \[orchestrator\] no source recorded a single row: see the waiting and give-up lines above, or run vmtel check --config FILE$/);
  assert.match(verdict!, /warn \[orchestrator\] verdict unusable: guest_agent recorded no rows/);
  const events = readJsonl(join(runDir, 'events.jsonl')).map((e) => e['event']);
  for (const event of ['guest_agent_connect_failed', 'qmp_connect_failed', 'qemu_process_pidfile_timeout']) assert.ok(events.includes(event), event);
});
