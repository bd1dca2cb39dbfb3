// `vmtel sim` as a real child process in a temp run dir: its pid file, agent rows and QMP monitor,
// faults cued on stdin and by --script, and its exits: SIGTERM and SHUTDOWN both leave the run dir
// clean with exit code 0, bad arguments exit 2 with one VMTEL_USAGE line.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { qmpOptions } from '../../src/collectors/qmp/options';
import { QmpConnection, type QmpEvent } from '../../src/collectors/qmp/qmp-connection';
import { connectWithRetry } from '../../src/collectors/unix-client/connect-with-retry';
import { firstConnectPolicy } from '../../src/collectors/unix-client/retry-policies';
import { tempDir } from '../helpers/temp-dir';
import { CLI } from '../helpers/vmtel-process';
import { waitFor, withDeadline } from '../helpers/wait-for';

// A fast agent, so rows show up within a few tens of ms.
const AGENT_RATE = '50';

interface Sim {
  child: ChildProcessWithoutNullStreams;
  runDir: string;
  /** Every JSON line the simulator printed so far. */
  said(): Array<Record<string, unknown>>;
  cue(line: string): void;
  exited: Promise<number | string>;
}

async function startSim(t: TestContext, extraArgs: string[] = []): Promise<Sim> {
  const runDir = tempDir(t);
  const child = spawn(process.execPath, [CLI, 'sim', '--run-dir', runDir, '--agent-rate', AGENT_RATE, ...extraArgs]);
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const said = (): Array<Record<string, unknown>> =>
    stdout
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  await Promise.race([
    waitFor('the simulator to say ready', () => said().some((line) => line['sim'] === 'ready'), 10_000),
    exited.then((code) => assert.fail(`vmtel sim exited (${code}) before it was ready: ${stderr}`)),
  ]);
  return { child, runDir, said, cue: (line) => child.stdin.write(`${line}\n`), exited };
}

// A reader of agent.sock that keeps every line.
async function readAgent(t: TestContext, runDir: string): Promise<{ lines: string[] }> {
  const socket = createConnection({ path: join(runDir, 'agent.sock') });
  t.after(() => socket.destroy());
  const lines: string[] = [];
  let partial = '';
  socket.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString('latin1')).split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
  });
  return { lines };
}

// A negotiated QMP session through the collector's own client, with the events it received.
async function openQmp(t: TestContext, runDir: string): Promise<{ qmp: QmpConnection; events: QmpEvent[] }> {
  const events: QmpEvent[] = [];
  const connection = new QmpConnection(
    {
      onEvent: (event) => events.push(event),
      onDrop: (reason, detail) => assert.fail(`QMP message dropped: ${reason} ${detail}`),
    },
    qmpOptions.reply_timeout_ms.default,
  );
  t.after(() => connection.close());
  const neverStopped = new AbortController().signal;
  const outcome = await connectWithRetry(join(runDir, 'qmp.sock'), firstConnectPolicy(5), neverStopped, connection.readTarget, () => undefined);
  assert.equal(outcome.kind, 'connected');
  if (outcome.kind === 'connected') await connection.negotiate(outcome.socket, neverStopped);
  return { qmp: connection, events };
}

function runDirFiles(runDir: string): string[] {
  return ['qemu.pid', 'agent.sock', 'qmp.sock'].filter((name) => existsSync(join(runDir, name)));
}

test('the simulator writes its pid, serves agent rows and QMP, follows --script, and SIGTERM leaves no file behind', async (t) => {
  const sim = await startSim(t, ['--vcpus', '2', '--script', '300ms:qmp-stop']);
  assert.equal(readFileSync(join(sim.runDir, 'qemu.pid'), 'latin1'), `${sim.child.pid}\n`);
  const agent = await readAgent(t, sim.runDir);
  await waitFor('three agent rows', () => agent.lines.length >= 3);
  const rows = agent.lines.map((line) => JSON.parse(line) as Record<string, number>);
  assert.deepEqual(rows.slice(0, 3).map((row) => row['seq']), [0, 1, 2]);
  assert.ok(rows.every((row) => typeof row['t_guest_mono_ns'] === 'number' && typeof row['cpu_pct'] === 'number'));

  const { qmp } = await openQmp(t, sim.runDir);
  const cpus = await qmp.execute('query-cpus-fast');
  assert.ok(cpus.ok && Array.isArray(cpus.value) && cpus.value.length === 2);
  for (const cpu of cpus.value as Array<Record<string, number>>) {
    assert.ok(existsSync(`/proc/${sim.child.pid}/task/${cpu['thread-id']}`), `vCPU thread ${cpu['thread-id']} is a thread of the simulator`);
  }
  await waitFor('the scripted qmp-stop', () => sim.said().some((line) => line['sim'] === 'cue' && line['cue'] === 'qmp-stop'));
  assert.deepEqual(await qmp.execute('query-status'), { ok: true, value: { status: 'paused', running: false } });

  sim.child.kill('SIGTERM');
  assert.equal(await withDeadline('the simulator to exit on SIGTERM', sim.exited), 0);
  assert.deepEqual(runDirFiles(sim.runDir), []);
  assert.deepEqual(sim.said().at(-1), { sim: 'exit', reason: 'SIGTERM' });
});

test('faults cued on stdin: a malformed agent burst, a pause, a QMP close; a bad cue is refused', async (t) => {
  const sim = await startSim(t);
  const agent = await readAgent(t, sim.runDir);
  const { qmp, events } = await openQmp(t, sim.runDir);
  await waitFor('a first agent row', () => agent.lines.length >= 1);

  sim.cue('agent-malformed=2');
  await waitFor('the malformed burst', () => agent.lines.includes('not json at all'));
  assert.ok(agent.lines.includes('{"seq":12,"t_guest_mono_ns":'));

  sim.cue('qmp-stop');
  await waitFor('STOP', () => events.some((event) => event.event === 'STOP'));
  assert.deepEqual(await qmp.execute('query-status'), { ok: true, value: { status: 'paused', running: false } });

  sim.cue('no-such-cue');
  await waitFor('the refusal', () => sim.said().some((line) => line['sim'] === 'error' && line['cue'] === 'no-such-cue'));

  sim.cue('qmp-close');
  await withDeadline('QEMU to close the QMP connection', qmp.closed);
  assert.equal(sim.child.exitCode, null, 'the simulator runs on');
});

test('after SHUTDOWN the simulator exits 0 by itself and cleans its run dir', async (t) => {
  const sim = await startSim(t);
  const { events } = await openQmp(t, sim.runDir);
  sim.cue('shutdown');
  assert.equal(await withDeadline('the simulator to exit after SHUTDOWN', sim.exited), 0);
  assert.deepEqual(events.map((event) => event.event), ['POWERDOWN', 'SHUTDOWN']);
  assert.deepEqual(events[1]!.data, { guest: true, reason: 'guest-shutdown' });
  assert.deepEqual(runDirFiles(sim.runDir), []);
  assert.deepEqual(sim.said().at(-1), { sim: 'exit', reason: 'shutdown' });
});

test('a bad --script is a usage error: exit 2, one line, nothing started', async (t) => {
  const runDir = tempDir(t);
  const child = spawn(process.execPath, [CLI, 'sim', '--run-dir', runDir, '--script', '3s:explode']);
  t.after(() => child.kill('SIGKILL'));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await withDeadline('vmtel sim to refuse', new Promise((resolve) => child.once('exit', resolve)));
  assert.equal(code, 2);
  assert.equal(stderr, 'vmtel: sim cue "explode": unknown cue; see `vmtel sim --help` [VMTEL_USAGE]\n');
  assert.deepEqual(runDirFiles(runDir), []);
});
