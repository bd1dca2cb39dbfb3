// Starts the test VM under QEMU for one run dir, wired as vmtel expects a VM to be: the agent's
// virtio-serial port on agent.sock, QMP on qmp.sock for vmtel's qmp collector, a second QMP
// monitor (qmp-control.sock) for whoever drives the VM (QMP serves one client per monitor),
// qemu.pid, and the serial console in console.log.
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { TestVmError } from './test-vm-error';
import type { TestVmImage } from './test-vm-image';

const QEMU = 'qemu-system-x86_64';
// The port name the agent looks for by default, and the one vmtel's docs use.
const AGENT_PORT_NAME = 'cis490.guest.agent';
// KVM is not usable on the team's machines even where /dev/kvm opens; TCG boots the small image
// in about 2 s.
const ACCEL = 'tcg';
// Enough for the kernel and busybox with room to spare; the initramfs itself takes about 4 MB.
const MEMORY_MB = 256;
// QEMU's last words on stderr are kept for the error when it dies.
const STDERR_TAIL_CHARS = 2000;
// dist/scripts/vm/ -> the checkout's scripts/vm/tap-up.sh, which QEMU runs to bring the tap up.
const TAP_UP_SCRIPT = join(__dirname, '..', '..', '..', 'scripts', 'vm', 'tap-up.sh');

export interface TestVmPaths {
  runDir: string;
  agentSocket: string;
  qmpSocket: string;
  controlQmpSocket: string;
  pidFile: string;
  consoleLog: string;
}

export interface LaunchOptions {
  /** Seconds between agent rows (VMTEL_AGENT_INTERVAL_S in the guest); fractions allowed. */
  agentIntervalS?: number;
  /**
   * A tap device QEMU creates (root and /dev/net/tun needed) for the guest's virtio NIC, eth0, and
   * brings up on the host side (scripts/vm/tap-up.sh).
   */
  tapInterface?: string;
}

export interface QemuExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The end of what QEMU wrote to stderr. */
  stderr: string;
}

export interface RunningTestVm {
  child: ChildProcess;
  paths: TestVmPaths;
  /** Settles when QEMU has exited; rejects only when it could not be started. */
  exited: Promise<QemuExit>;
}

export function testVmPaths(runDir: string): TestVmPaths {
  return {
    runDir,
    agentSocket: join(runDir, 'agent.sock'),
    qmpSocket: join(runDir, 'qmp.sock'),
    controlQmpSocket: join(runDir, 'qmp-control.sock'),
    pidFile: join(runDir, 'qemu.pid'),
    consoleLog: join(runDir, 'console.log'),
  };
}

// QEMU's arguments for `image` wired to `paths`.
function qemuArgs(image: TestVmImage, paths: TestVmPaths, options: LaunchOptions = {}): string[] {
  const intervalS = String(options.agentIntervalS ?? 1);
  if (!/^\d+(\.\d+)?$/.test(intervalS) || Number(intervalS) <= 0) throw new RangeError(`agentIntervalS must be a positive decimal, got ${intervalS}`);
  return [
    ['-accel', ACCEL],
    ['-m', String(MEMORY_MB)],
    // No default devices (VGA, NIC, HMP monitor): only what is listed here.
    ['-nodefaults', '-no-user-config', '-display', 'none'],
    ['-serial', `file:${paths.consoleLog}`],
    // A guest poweroff or panic ends QEMU instead of rebooting.
    ['-no-reboot'],
    ['-kernel', image.kernelPath, '-initrd', image.initrdPath],
    // panic=-1 reboots at once on a panic, which -no-reboot turns into QEMU's exit. The kernel
    // passes VMTEL_AGENT_INTERVAL_S (no dot in its name) to init as an environment variable.
    ['-append', `console=ttyS0 panic=-1 quiet VMTEL_AGENT_INTERVAL_S=${intervalS}`],
    ['-device', 'virtio-serial-pci'],
    ['-chardev', `socket,id=agent,path=${paths.agentSocket},server=on,wait=off`],
    ['-device', `virtserialport,chardev=agent,name=${AGENT_PORT_NAME}`],
    ['-qmp', `unix:${paths.qmpSocket},server=on,wait=off`],
    ['-qmp', `unix:${paths.controlQmpSocket},server=on,wait=off`],
    ['-pidfile', paths.pidFile],
    // Names QEMU's threads ("CPU 0/TCG"), which qemu_process falls back on without qmp.
    ['-name', 'vmtel-test,debug-threads=on'],
    // No NIC unless asked: QEMU's default one would need a network backend for nothing.
    options.tapInterface === undefined
      ? []
      : ['-netdev', `tap,id=net0,ifname=${options.tapInterface},script=${TAP_UP_SCRIPT},downscript=no`, '-device', 'virtio-net-pci,netdev=net0'],
  ].flat();
}

/**
 * Starts QEMU for `runDir`. Sockets and pid file a killed QEMU left there are removed first, so a
 * socket that exists belongs to this QEMU.
 */
export function launchTestVm(image: TestVmImage, runDir: string, options: LaunchOptions = {}): RunningTestVm {
  const paths = testVmPaths(runDir);
  const args = qemuArgs(image, paths, options);
  for (const leftover of [paths.agentSocket, paths.qmpSocket, paths.controlQmpSocket, paths.pidFile, paths.consoleLog]) {
    rmSync(leftover, { force: true });
  }
  const child = spawn(QEMU, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL_CHARS)));
  const exited = new Promise<QemuExit>((resolve, reject) => {
    child.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'ENOENT'
          ? new TestVmError('TEST_VM_TOOL_MISSING', `${QEMU} not found: apt-get install qemu-system-x86`, { cause: err })
          : new TestVmError('TEST_VM_TOOL_FAILED', `${QEMU} could not start: ${err.message}`, { cause: err }),
      ),
    );
    child.once('close', (code, signal) => resolve({ code, signal, stderr }));
  });
  return { child, paths, exited };
}
