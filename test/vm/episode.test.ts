// The whole product on a real VM: `vmtel run` with all five collectors records the test VM under
// QEMU while the test pauses and resumes it and finally powers it off over the control QMP
// monitor. Checked: guest rows whole and contiguous on the host timeline, the guest clock's
// offset visible, qmp and qemu_process agreeing on the vCPU thread, the pause seen by every
// source, and an episode that ends by itself with exit 0 and a complete manifest. The net
// collector runs on a tap device QEMU creates, where the machine allows one.
import assert from 'node:assert/strict';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readManifest } from '../../src/orchestrator/manifest';
import { episodeReport } from '../../src/report/episode-report';
import { verdictLine } from '../../src/report/verdict-line';
import { parseExactJson, type ExactJson } from '../../src/sink/exact-json';
import { readLines } from '../helpers/jsonl';
import { tempDir } from '../helpers/temp-dir';
import { startVmtel, type VmtelProcess } from '../helpers/vmtel-process';
import { waitFor, withDeadline } from '../helpers/wait-for';
import { checkAgentRows, splitRecordedRow } from './helpers/agent-rows';
import { bootTestVm } from './helpers/booted-vm';
import { openQmpControl } from './helpers/qmp-control';

const AGENT_INTERVAL_S = 0.25;
const POLL_MS = 250;
// The first guest row comes about 3 s after QEMU starts; a loaded 2-core machine is slower.
const FIRST_ROWS_TIMEOUT_MS = 30_000;
// IPv6 link-local setup sends the guest's first packets a few seconds after eth0 comes up.
const FIRST_PACKETS_TIMEOUT_MS = 20_000;
// Later waits are for a few rows or polls at 4 per second.
const STEP_TIMEOUT_MS = 10_000;
// busybox init takes about 2 s to stop everything before the guest powers off.
const SHUTDOWN_TIMEOUT_MS = 30_000;
// vmtel and QEMU read the two sockets in different threads: a row and an event that happen
// together may be stamped this far apart either way.
const STAMP_SLACK_NS = 100_000_000n;

type Row = { [key: string]: ExactJson };

function exactRows(path: string): Row[] {
  return readLines(path).map((line) => parseExactJson(line) as Row);
}

// Why the net collector cannot run here, or null when QEMU can create a tap device.
function tapUnavailableReason(): string | null {
  if (process.getuid?.() !== 0) return 'QEMU needs root to create a tap device';
  try {
    closeSync(openSync('/dev/net/tun', 'r+'));
    return null;
  } catch (err) {
    return `/dev/net/tun cannot be opened (${(err as NodeJS.ErrnoException).code ?? String(err)})`;
  }
}

function writeConfig(dir: string, runDir: string, tap: string | undefined): string {
  const path = join(dir, 'vm.yaml');
  const net = tap === undefined ? '' : `  net:\n    interface: ${tap}\n    interval_ms: ${POLL_MS}\n`;
  writeFileSync(
    path,
    // The pause here is two polls, about 0.5 s: a step the collector must see at a threshold below it.
    `vm: vmtel-test\nepisode: e2e\nrun_dir: ${runDir}\nlog_level: warn\ncollectors:\n  guest_agent:\n    clock_step_threshold_ms: 200\n` +
      `  qmp:\n    interval_ms: ${POLL_MS}\n  qemu_process:\n    interval_ms: ${POLL_MS}\n  host:\n    interval_ms: 500\n${net}`,
  );
  return path;
}

function stats(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return `median ${median.toFixed(3)} s (min ${sorted[0]!.toFixed(3)}, max ${sorted.at(-1)!.toFixed(3)})`;
}

test('vmtel run with all five collectors on the real VM: pause, resume and power-off recorded whole', async (t) => {
  // Registered first, so vmtel is stopped before QEMU and before the run dir goes.
  let vmtel: VmtelProcess | undefined;
  t.after(async () => {
    if (vmtel === undefined || vmtel.child.exitCode !== null || vmtel.child.signalCode !== null) return;
    vmtel.child.kill('SIGKILL');
    await withDeadline('vmtel to exit', vmtel.exited);
  });
  const tapReason = tapUnavailableReason();
  const tap = tapReason === null ? `vt-${process.pid}` : undefined;

  const vm = await bootTestVm(t, { agentIntervalS: AGENT_INTERVAL_S, ...(tap === undefined ? {} : { tapInterface: tap }) });
  const runDir = vm.paths.runDir;
  const file = (name: string): string => join(runDir, name);
  vmtel = startVmtel(t, ['run', '--config', writeConfig(tempDir(t), runDir, tap)]);

  // 10 rows (2.5 s of the guest's clock): the clock estimate rests on a first window before the pause.
  await waitFor(`10 guest rows recorded (console: ${vm.paths.consoleLog})`, () => readLines(file('telemetry-guest.jsonl')).length >= 10, FIRST_ROWS_TIMEOUT_MS);
  const control = await openQmpControl(t, vm.paths.controlQmpSocket);
  await control.execute('stop');
  const pausedPolls = (): number => exactRows(file('telemetry-qmp.jsonl')).filter((r) => status(r) === 'paused').length;
  await waitFor('2 qmp polls that saw the VM paused', () => pausedPolls() >= 2, STEP_TIMEOUT_MS);
  await control.execute('cont');
  const rowsAtCont = readLines(file('telemetry-guest.jsonl')).length;
  await waitFor('4 guest rows after cont', () => readLines(file('telemetry-guest.jsonl')).length >= rowsAtCont + 4, STEP_TIMEOUT_MS);
  // The net check is a subtest of its own, so a host without a tap reports it skipped, with why.
  await t.test("the net collector counts the guest's packets on its tap", { skip: tapReason ?? false }, async () => {
    await waitFor('the guest\'s first packets counted on the tap', () => exactRows(file('telemetry-net.jsonl')).some((r) => sentByGuest(r) > 0), FIRST_PACKETS_TIMEOUT_MS);
  });
  await control.execute('system_powerdown');

  // The episode ends by itself: QEMU's SHUTDOWN reaches vmtel's qmp collector.
  assert.equal(await withDeadline('vmtel to end the episode after system_powerdown', vmtel.exited, SHUTDOWN_TIMEOUT_MS), 0, vmtel.stderr());
  const qemuExit = await withDeadline('QEMU to exit', vm.exited, SHUTDOWN_TIMEOUT_MS);
  assert.deepEqual({ code: qemuExit.code, signal: qemuExit.signal }, { code: 0, signal: null }, qemuExit.stderr);

  // The manifest: stopped by the VM, every collector stopped cleanly, counts equal to the files.
  const manifest = readManifest(runDir)!;
  assert.equal(manifest.status, 'stopped');
  assert.equal(manifest.stop_reason, 'vm_shutdown');
  assert.deepEqual(manifest.torn_lines, []);
  const outputs: Record<string, string> = {
    guest_agent: 'telemetry-guest.jsonl',
    qmp: 'telemetry-qmp.jsonl',
    qemu_process: 'telemetry-qemu_process.jsonl',
    host: 'telemetry-host.jsonl',
    ...(tap === undefined ? {} : { net: 'telemetry-net.jsonl' }),
  };
  assert.deepEqual(Object.keys(manifest.collectors).sort(), Object.keys(outputs).sort());
  for (const [name, output] of Object.entries(outputs)) {
    const record = manifest.collectors[name]!;
    const lines = readLines(file(output));
    assert.ok(lines.length > 0, `${name} recorded rows`);
    assert.deepEqual(
      { status: record.status, restarts: record.restarts, dropped: record.dropped, rows: record.rows, bytes: record.bytes },
      { status: 'stopped', restarts: 0, dropped: {}, rows: lines.length, bytes: readFileSync(file(output)).length },
      `${name} in episode.json`,
    );
  }

  // QEMU's events, as the qmp collector recorded them.
  const events = exactRows(file('events.jsonl'));
  const qmpEvent = (name: string): Row => {
    const found = events.find((e) => e['event'] === 'qmp_event' && e['qmp_event'] === name);
    assert.ok(found !== undefined, `${name} in events.jsonl`);
    return found;
  };
  const stop = qmpEvent('STOP');
  const resume = qmpEvent('RESUME');
  qmpEvent('POWERDOWN');
  assert.deepEqual(qmpEvent('SHUTDOWN')['data'], { guest: true, reason: 'guest-shutdown' });
  const stopNs = BigInt(stop['t_mono_ns'] as number | bigint);
  const resumeNs = BigInt(resume['t_mono_ns'] as number | bigint);
  assert.ok(resumeNs > stopNs, 'RESUME after STOP');

  // Guest rows: the agent's bytes untouched, seq contiguous from 0, host stamps in order.
  const recorded = readLines(file('telemetry-guest.jsonl')).map(splitRecordedRow);
  const rows = checkAgentRows(recorded.map((r) => r.agentLine));
  assert.equal(rows[0]!.seq, 0, 'vmtel was connected before the agent wrote its first row');
  recorded.forEach((r, i) => assert.ok(i === 0 || r.tMonoNs >= recorded[i - 1]!.tMonoNs, `guest row ${i}: host stamp went back`));

  // The pause is a gap in the guest rows between STOP and RESUME, with no row lost in it.
  const gapAt = recorded.findIndex((r, i) => i > 0 && recorded[i - 1]!.tMonoNs <= stopNs + STAMP_SLACK_NS && r.tMonoNs >= resumeNs - STAMP_SLACK_NS);
  assert.ok(gapAt > 0, 'consecutive guest rows straddle the pause');
  assert.ok(
    recorded.every((r) => r.tMonoNs <= stopNs + STAMP_SLACK_NS || r.tMonoNs >= resumeNs - STAMP_SLACK_NS),
    'no guest row while the VM was paused',
  );

  // The guest clock's offset from the host's: expected (the guest's clock starts from the RTC's
  // whole second and stands still while the VM is paused), measured, and shown.
  const offsetS = recorded.map((r, i) => Number(rows[i]!.wallNs - r.tWallNs) / 1e9);
  const before = offsetS.slice(0, gapAt);
  const after = offsetS.slice(gapAt);
  const pauseS = Number(resumeNs - stopNs) / 1e9;
  t.diagnostic(`guest wall − host wall before the pause: ${stats(before)}; after a ${pauseS.toFixed(3)} s pause: ${stats(after)}`);
  assert.ok(before.every((s) => Math.abs(s) < 2), 'the guest clock starts within 2 s of the host\'s');
  const shiftS = Math.min(...after) - Math.min(...before);
  assert.ok(Math.abs(shiftS + pauseS) < 0.5, `the guest clock stood still while paused: offset moved ${shiftS.toFixed(3)} s over a ${pauseS.toFixed(3)} s pause`);
  // vmtel says the offset itself, as its envelope estimate: once it rests on a window of rows,
  // and at the end (after the pause: behind by the pause too).
  const clock = events.filter((e) => e['event'] === 'guest_agent_clock');
  assert.deepEqual(clock.map((c) => c['phase']), ['connect', 'end'], 'the estimate at connect and at the end of the one connection');
  assert.ok(Math.abs(Number(clock[0]!['offset_s']) - Math.max(...before)) < 0.05, `estimate at connect ${String(clock[0]!['offset_s'])} s`);
  assert.ok(Math.abs(Number(clock[1]!['offset_s']) - Math.max(...after)) < 0.05, `estimate at the end ${String(clock[1]!['offset_s'])} s`);

  // qmp: the run state follows the pause; qemu_process: the vCPU thread QMP names is found and busy.
  const qmpRows = exactRows(file('telemetry-qmp.jsonl'));
  for (const row of qmpRows) {
    const atNs = BigInt(row['t_mono_ns'] as number | bigint);
    if (atNs < stopNs - STAMP_SLACK_NS || atNs > resumeNs + STAMP_SLACK_NS) assert.equal(status(row), 'running', `qmp row at ${atNs} ns`);
  }
  assert.ok(qmpRows.filter((r) => status(r) === 'paused').length >= 2);
  const vcpus = ((qmpRows.at(-1)!['results'] as Row)['query_cpus_fast'] as Row[]).map((c) => ({ cpu: c['vcpu_index'], tid: c['thread_id'] }));
  assert.equal(vcpus.length, 1, 'one vCPU');
  const vcpuCpuMs = exactRows(file('telemetry-qemu_process.jsonl'))
    .filter((r) => r['vcpu_source'] === 'qmp')
    .map((r) => (r['threads'] as Row[]).find((thread) => thread['thread_id'] === vcpus[0]!.tid && thread['vcpu_index'] === vcpus[0]!.cpu))
    .map((thread) => Number(thread?.['utime_ms']) + Number(thread?.['stime_ms']));
  assert.ok(vcpuCpuMs.length > 0 && vcpuCpuMs.every(Number.isFinite), 'every qmp-matched qemu_process row has the vCPU thread');
  assert.ok(vcpuCpuMs.at(-1)! > vcpuCpuMs[0]!, 'the vCPU thread used CPU time');

  // host: the lab host sampled throughout.
  assert.ok(exactRows(file('telemetry-host.jsonl')).every((r) => typeof r['cpu'] === 'object'));

  // net: the tap (up on the host side) received every packet the guest says it sent (rx is the
  // VM's send side), none of them dropped.
  if (tap !== undefined) {
    const netRows = exactRows(file('telemetry-net.jsonl'));
    assert.ok(netRows.every((r) => r['interface'] === tap));
    const guestSent = Number(((rows.at(-1)!.fields['net'] as Row)['eth0'] as Row)['tx_packets']);
    const last = netRows.at(-1)!;
    assert.ok(guestSent > 0 && sentByGuest(last) >= guestSent, `tap received ${sentByGuest(last)} packets, the guest sent ${guestSent}`);
    assert.equal(Number(last['rx_dropped']), 0, 'no packet of the guest dropped on the tap');
  }

  await assertReportOk(runDir, t);
});

// The report on this episode: ok, with QEMU's events on its timeline, and the guest's gaps (its
// boot, the pause when it outlasts three rows, the power-off) each put down to the VM.
async function assertReportOk(runDir: string, t: { diagnostic(message: string): void }): Promise<void> {
  const report = await episodeReport(runDir);
  const drift = report.guestClock?.drift;
  const driftText = drift?.ppm == null ? `not measurable (${drift?.points ?? 0} windows fitted)` : `${drift.ppm.toFixed(2)} ± ${drift.sePpm?.toFixed(2) ?? 'n/a'} ppm`;
  t.diagnostic(`report: ${verdictLine(report.verdict)}; drift ${driftText}, delivery delay p99 ${report.guestClock?.residualMs.p99?.toFixed(2)} ms`);
  assert.equal(report.verdict.level, 'ok', JSON.stringify(report.verdict.reasons));
  for (const name of ['STOP', 'RESUME', 'POWERDOWN', 'SHUTDOWN']) assert.ok(report.qmpEvents.some((e) => e.name === name), `${name} on the report's timeline`);
  const guest = report.sources.find((s) => s.name === 'guest_agent')!;
  assert.ok(guest.gaps.every((g) => g.excused && g.causes.length > 0), `every guest gap has its cause in the VM: ${JSON.stringify(guest.gaps)}`);
}

function status(qmpRow: Row): ExactJson | undefined {
  return ((qmpRow['results'] as Row | undefined)?.['query_status'] as Row | undefined)?.['status'];
}

// A tap's rx is what the VM sent (counted as rx_dropped instead while the host side is down).
function sentByGuest(netRow: Row): number {
  return Number(netRow['rx_packets']);
}
