import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readJsonl } from '../helpers/jsonl';
import { tempDir } from '../helpers/temp-dir';
import { withDeadline } from '../helpers/wait-for';

const DEMO = join(__dirname, '..', '..', 'scripts', 'demo.js');
const SOURCES = ['guest_agent', 'qmp', 'qemu_process', 'host', 'net'];

test('the demo records all five sources from the simulated VM and prints their summary', async (t) => {
  const runDir = join(tempDir(t), 'demo');
  const demo = spawn(process.execPath, [DEMO], { env: { ...process.env, VMTEL_DEMO_RUN_DIR: runDir }, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => demo.kill('SIGKILL'));
  let stdout = '';
  demo.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await withDeadline('the demo to finish', new Promise((resolve) => demo.once('exit', resolve)), 40_000);
  assert.equal(code, 0, stdout);
  const announced = stdout.indexOf('Faults injected on purpose');
  assert.ok(announced >= 0 && announced < stdout.indexOf('\nsource '), `the faults are announced before the summary:\n${stdout}`);
  for (const fault of ['at 2s  the guest sends 3 malformed lines', 'at 4s  the VM is paused', 'at 5s  the VM resumes', 'at 6s  the guest agent stops writing for 3 s']) {
    assert.ok(stdout.includes(fault), `announces "${fault}"`);
  }

  for (const source of SOURCES) {
    const row = stdout.split('\n').find((line) => line.startsWith(`${source} `));
    assert.ok(row !== undefined, `summary has a row for ${source}:\n${stdout}`);
    const rows = Number(row.split(/\s+/)[2]);
    assert.ok(rows > 0, `${source} recorded rows: ${row}`);
  }
  assert.match(stdout, /guest_agent .* malformed_json=3 /, 'the scripted malformed burst is counted');
  const qmpEvents = readJsonl(join(runDir, 'events.jsonl')).filter((e) => e['event'] === 'qmp_event').map((e) => e['qmp_event']);
  assert.deepEqual(qmpEvents, ['STOP', 'RESUME']);
  assert.match(stdout, /guest_agent_stalled 1/);
  assert.match(stdout, /^ {2}qmp_event 2 \(STOP 1, RESUME 1\)$/m, 'the summary names the QMP events');
  // It ends with the report, whose verdict names the scripted faults with their causes.
  assert.match(stdout, /demo-vm\/demo: verdict warning: .*guest_agent/);
  assert.ok(stdout.trimEnd().endsWith(`report: ${join(runDir, 'report.html')} (open it in a browser)`), stdout);
  assert.match(readFileSync(join(runDir, 'report.html'), 'utf8'), /VM paused by QMP STOP/);
});
