// The test VM for real: QEMU (TCG) boots Debian's cloud kernel with the busybox initramfs, the
// agent's rows arrive on agent.sock with contiguous seq and exact integer guest clocks, and QMP
// system_powerdown on the control monitor shuts the guest down so QEMU exits by itself.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { withDeadline, waitFor } from '../helpers/wait-for';
import { checkAgentRows } from './helpers/agent-rows';
import { bootTestVm, connectWhenListening } from './helpers/booted-vm';
import { openQmpControl } from './helpers/qmp-control';
import { collectLines } from './helpers/stream-lines';

const INTERVAL_S = 0.25;
const INTERVAL_NS = 250_000_000n;
const ROWS = 8;
// The first row comes about 2 s after QEMU starts under TCG; a loaded 2-core machine is slower.
const ROWS_TIMEOUT_MS = 30_000;
// busybox init takes about 2 s to stop everything before it powers off.
const SHUTDOWN_TIMEOUT_MS = 20_000;

test('the test VM boots, its agent streams rows on agent.sock, and system_powerdown ends QEMU', async (t) => {
  const vm = await bootTestVm(t, { agentIntervalS: INTERVAL_S });
  const lines = collectLines(await connectWhenListening(t, vm.paths.agentSocket));
  await waitFor(`the first agent row (console: ${vm.paths.consoleLog})`, () => lines.length >= 1, ROWS_TIMEOUT_MS);
  const firstRowMs = Number(process.hrtime.bigint() - vm.launchedNs) / 1e6;
  await waitFor(`${ROWS} agent rows`, () => lines.length >= ROWS, ROWS_TIMEOUT_MS);

  const rows = checkAgentRows(lines.slice(0, ROWS));
  assert.equal(rows[0]!.seq, 0, 'the host connected before the first row was written, so it sees seq 0');
  rows.forEach((row, i) => assert.ok(row.monoNs - rows[0]!.monoNs >= BigInt(i) * INTERVAL_NS - INTERVAL_NS / 2n, `row ${i} came early`));
  const memTotalKb = Number(rows[0]!.fields['mem_total_kb']);
  assert.ok(memTotalKb > 128 * 1024 && memTotalKb <= 256 * 1024, `a 256 MB guest reports MemTotal ${memTotalKb} kB`);
  assert.ok('lo' in (rows[0]!.fields['net'] as object), 'the guest brought up lo');
  // The guest's wall clock comes from QEMU's RTC, set from the host's clock at boot.
  const hostWallNs = BigInt(Date.now()) * 1_000_000n;
  const skewS = Number(rows.at(-1)!.wallNs - hostWallNs) / 1e9;
  assert.ok(Math.abs(skewS) < 60, `guest wall clock within a minute of the host's (off by ${skewS} s)`);

  const control = await openQmpControl(t, vm.paths.controlQmpSocket);
  await control.execute('system_powerdown');
  const exit = await withDeadline('QEMU to exit after system_powerdown', vm.exited, SHUTDOWN_TIMEOUT_MS);
  assert.deepEqual({ code: exit.code, signal: exit.signal }, { code: 0, signal: null }, exit.stderr);
  const shutdown = control.events.find((e) => e['event'] === 'SHUTDOWN');
  assert.deepEqual(shutdown?.['data'], { guest: true, reason: 'guest-shutdown' });
  assert.match(readFileSync(vm.paths.consoleLog, 'utf8'), /reboot: Power down/);
  t.diagnostic(`first row ${firstRowMs.toFixed(0)} ms after QEMU started; whole cycle ${(Number(process.hrtime.bigint() - vm.launchedNs) / 1e6).toFixed(0)} ms`);
});
