// vmtel-agent on the host, under the guest's busybox sh and under the host's /bin/sh, against
// FIFO stand-ins for virtio ports: the rows it writes, its /proc parsing against a fixture, and
// how it lives through a reader that goes away, a port that appears late, and a bad setting.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readlinkSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test, type TestContext } from 'node:test';
import { AGENT_PATH } from '../../scripts/vm/test-vm-image';
import { tempDir } from '../helpers/temp-dir';
import { waitFor, withDeadline } from '../helpers/wait-for';
import { checkAgentRows } from './helpers/agent-rows';
import { testVmImage } from './helpers/booted-vm';
import { fifoPorts } from './helpers/fifo-port';
import { collectLines } from './helpers/stream-lines';

const PORT_NAME = 'cis490.guest.agent';
// Fast ticks keep each test well under a second of sampling.
const INTERVAL_S = 0.05;
const INTERVAL_NS = 50_000_000n;
// The agent waits this long before it looks for a port again (port_retry_s in the script).
const PORT_RETRY_MS = 1000;
// Rows come every 50 ms; a deadline this long means the agent is stuck.
const ROWS_TIMEOUT_MS = 10_000;

interface Shell {
  name: string;
  /** The program and its arguments before the script's path. */
  command(): string[];
  /** What /proc/PID/exe of the agent must be, so each test proves which shell it ran under. */
  exe(): string;
}

// The guest's own busybox comes from the test VM image (built or taken from the cache).
let busyboxPath = '';
before(async () => {
  busyboxPath = (await testVmImage()).busyboxPath;
});

const BUSYBOX_SH: Shell = { name: 'busybox sh', command: () => [busyboxPath, 'sh'], exe: () => busyboxPath };
const HOST_SH: Shell = { name: '/bin/sh', command: () => ['/bin/sh'], exe: () => realpathSync('/bin/sh') };

interface AgentProcess {
  pid: number;
  stderr(): string;
  exited: Promise<number | string>;
}

// The agent in its own process group, so its `sleep` children die with it when the test ends.
function startAgent(t: TestContext, shell: Shell, env: Record<string, string>): AgentProcess {
  const [program, ...args] = shell.command() as [string, ...string[]];
  const child = spawn(program, [...args, AGENT_PATH], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', VMTEL_AGENT_INTERVAL_S: String(INTERVAL_S), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
    await withDeadline('the agent to exit', exited);
  });
  return { pid: child.pid!, stderr: () => stderr, exited };
}

function assertRanUnder(agent: AgentProcess, shell: Shell): void {
  assert.equal(readlinkSync(`/proc/${agent.pid}/exe`), shell.exe(), `the agent runs under ${shell.name}`);
}

// A /proc with known contents; uptime is the real one, so the clock still moves, and timer_list
// is missing, as it is to a guest user without root.
function fixtureProc(dir: string): string {
  const proc = join(dir, 'proc');
  mkdirSync(join(proc, 'net'), { recursive: true });
  for (const pid of ['1', '17', '4242', 'self']) mkdirSync(join(proc, pid));
  symlinkSync('/proc/uptime', join(proc, 'uptime'));
  writeFileSync(join(proc, 'stat'), 'cpu  101 2 303 4004 55 6 7 8 0 0\ncpu0 101 2 303 4004 55 6 7 8 0 0\nintr 1 2 3\n');
  writeFileSync(join(proc, 'meminfo'), 'MemTotal:         262144 kB\nMemFree:          100000 kB\nMemAvailable:     200000 kB\nBuffers: 1 kB\n');
  writeFileSync(join(proc, 'loadavg'), '0.25 1.50 12.00 3/87 4242\n');
  writeFileSync(
    join(proc, 'net', 'dev'),
    [
      'Inter-|   Receive                                                |  Transmit',
      ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
      '    lo:    1000      10    0    0    0     0          0         0     1000      10    0    0    0     0       0          0',
      // A counter wider than its column runs into the colon, as the kernel prints it.
      '  eth0:123456789012 200 1 2 0 0 0 0 987654321098 300 3 4 0 0 0 0',
      'we"ird:       5       1    0    0    0     0          0         0        5       1    0    0    0     0       0          0',
      '',
    ].join('\n'),
  );
  return proc;
}

for (const shell of [BUSYBOX_SH, HOST_SH]) {
  test(`${shell.name}: rows go to the port with the configured name, seq from 0, exact clocks, on the interval`, async (t) => {
    const ports = fifoPorts(t, tempDir(t));
    ports.add('vport0p1', 'org.qemu.guest_agent.0');
    const device = ports.add('vport0p2', PORT_NAME);
    const lines = collectLines(ports.read(device));
    const agent = startAgent(t, shell, ports.env);
    await waitFor('5 agent rows', () => lines.length >= 5, ROWS_TIMEOUT_MS);
    assertRanUnder(agent, shell);

    const rows = checkAgentRows(lines.slice(0, 5));
    assert.equal(rows[0]!.seq, 0);
    // Ticks are on a grid of the interval from the first row: never early, late only under load.
    rows.forEach((row, i) => assert.ok(row.monoNs - rows[0]!.monoNs >= BigInt(i) * INTERVAL_NS - INTERVAL_NS / 2n, `row ${i} came early`));
    assert.ok('lo' in (rows[0]!.fields['net'] as object), 'the loopback interface is listed');
    assert.equal(BigInt(rows[0]!.fields['interval_ns'] as number), INTERVAL_NS, 'the agent says its interval');
    assert.match(agent.stderr(), new RegExp(`writing rows to ${device} \\(port ${PORT_NAME.replaceAll('.', '\\.')}\\)`));
  });

  test(`${shell.name}: /proc is read exactly (cpu, memory, load, tasks, processes, interfaces; uptime fallback)`, async (t) => {
    const dir = tempDir(t);
    const ports = fifoPorts(t, dir);
    const lines = collectLines(ports.read(ports.add('vport0p1', PORT_NAME)));
    const agent = startAgent(t, shell, { ...ports.env, VMTEL_AGENT_PROC_DIR: fixtureProc(dir) });
    await waitFor('2 agent rows', () => lines.length >= 2, ROWS_TIMEOUT_MS);
    assertRanUnder(agent, shell);

    const [first] = checkAgentRows(lines.slice(0, 2));
    const { seq, t_guest_mono_ns, t_guest_wall_ns, interval_ns, ...figures } = first!.fields;
    assert.deepEqual(figures, {
      cpu_user_jiffies: 101,
      cpu_nice_jiffies: 2,
      cpu_system_jiffies: 303,
      cpu_idle_jiffies: 4004,
      cpu_iowait_jiffies: 55,
      cpu_irq_jiffies: 6,
      cpu_softirq_jiffies: 7,
      cpu_steal_jiffies: 8,
      mem_total_kb: 262144,
      mem_available_kb: 200000,
      load_1m: 0.25,
      load_5m: 1.5,
      load_15m: 12,
      tasks_running: 3,
      tasks_total: 87,
      process_count: 3,
      net: {
        lo: { rx_bytes: 1000, rx_packets: 10, rx_errs: 0, rx_drop: 0, tx_bytes: 1000, tx_packets: 10, tx_errs: 0, tx_drop: 0 },
        eth0: { rx_bytes: 123456789012, rx_packets: 200, rx_errs: 1, rx_drop: 2, tx_bytes: 987654321098, tx_packets: 300, tx_errs: 3, tx_drop: 4 },
      },
    });
    assert.equal(first!.monoNs % 10_000_000n, 0n, 'from /proc/uptime, in whole hundredths of a second');
    assert.match(agent.stderr(), /timer_list unreadable/);
  });

  test(`${shell.name}: when the reader goes away the agent reopens the port and seq goes on`, async (t) => {
    const ports = fifoPorts(t, tempDir(t));
    const device = ports.add('vport0p1', PORT_NAME);
    const firstReader = ports.read(device);
    const before = collectLines(firstReader);
    const agent = startAgent(t, shell, ports.env);
    await waitFor('3 rows on the first reader', () => before.length >= 3, ROWS_TIMEOUT_MS);
    firstReader.destroy();
    await waitFor('the agent to see its write fail', () => agent.stderr().includes('failed; reopening'), ROWS_TIMEOUT_MS);

    const after = collectLines(ports.read(device));
    await waitFor('3 rows on the second reader', () => after.length >= 3, ROWS_TIMEOUT_MS + PORT_RETRY_MS);
    assertRanUnder(agent, shell);
    const rowsBefore = checkAgentRows(before);
    const rowsAfter = checkAgentRows(after.slice(0, 3));
    // Rows the first reader left unread in the FIFO went with it; none is sent twice or renumbered.
    assert.ok(rowsAfter[0]!.seq > rowsBefore.at(-1)!.seq, 'seq goes on from where it was');
    assert.ok(rowsAfter[0]!.monoNs > rowsBefore.at(-1)!.monoNs);
  });
}

test('busybox sh: a port that appears late is waited for, and rows start at seq 0', async (t) => {
  const shell = BUSYBOX_SH;
  const ports = fifoPorts(t, tempDir(t));
  const agent = startAgent(t, shell, ports.env);
  await waitFor('the agent to wait for its port', () => agent.stderr().includes(`waiting for virtio port ${PORT_NAME}`), ROWS_TIMEOUT_MS);

  const lines = collectLines(ports.read(ports.add('vport0p3', PORT_NAME)));
  await waitFor('2 agent rows', () => lines.length >= 2, ROWS_TIMEOUT_MS + PORT_RETRY_MS);
  assertRanUnder(agent, shell);
  assert.equal(checkAgentRows(lines.slice(0, 2))[0]!.seq, 0);
});

test('busybox sh: an interval that is not a positive number of seconds ends the agent with code 2', async (t) => {
  const shell = BUSYBOX_SH;
  const ports = fifoPorts(t, tempDir(t));
  const agent = startAgent(t, shell, { ...ports.env, VMTEL_AGENT_INTERVAL_S: '1.5s' });
  assert.equal(await withDeadline('the agent to exit', agent.exited), 2);
  assert.match(agent.stderr(), /VMTEL_AGENT_INTERVAL_S must be a positive number of seconds, got '1\.5s'/);
});
