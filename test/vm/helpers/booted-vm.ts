// Boots the test VM for one test in a fresh run dir, and makes sure that whatever happens the
// QEMU process is gone when the test ends (SIGKILL, then wait for its exit) and the dir removed.
import { createConnection, type Socket } from 'node:net';
import type { TestContext } from 'node:test';
import { launchTestVm, type LaunchOptions, type RunningTestVm } from '../../../scripts/vm/launch-test-vm';
import { buildTestVm, type TestVmImage } from '../../../scripts/vm/test-vm-image';
import { tempDir } from '../../helpers/temp-dir';
import { waitFor, withDeadline } from '../../helpers/wait-for';

// A cold build downloads about 28 MB of packages and unpacks the kernel; a cached one takes 0.3 s.
const BUILD_TIMEOUT_MS = 120_000;
// QEMU binds its sockets within a second of starting, before the guest runs.
const SOCKET_TIMEOUT_MS = 10_000;
// A SIGKILLed process is reaped at once; this only bounds a wedged one.
const KILL_TIMEOUT_MS = 10_000;

/** The image for the current inputs, built (or taken from the cache) under a deadline. */
export function testVmImage(): Promise<TestVmImage> {
  return withDeadline('the test VM image to build', buildTestVm(), BUILD_TIMEOUT_MS);
}

export interface BootedVm extends RunningTestVm {
  image: TestVmImage;
  /** process.hrtime.bigint() when QEMU was spawned. */
  launchedNs: bigint;
}

/** Builds (cached) and boots the test VM in a temp run dir that `t` removes. */
export async function bootTestVm(t: Pick<TestContext, 'after'>, options: LaunchOptions = {}): Promise<BootedVm> {
  const image = await testVmImage();
  // Registered before the run dir's removal, so QEMU is gone first (node runs after-hooks in order).
  let vm: RunningTestVm | undefined;
  t.after(async () => {
    if (vm === undefined) return;
    if (vm.child.exitCode === null && vm.child.signalCode === null) vm.child.kill('SIGKILL');
    await withDeadline('QEMU to exit', vm.exited.catch(() => undefined), KILL_TIMEOUT_MS);
  });
  const runDir = tempDir(t, 'vm-');
  const launchedNs = process.hrtime.bigint();
  vm = launchTestVm(image, runDir, options);
  return { ...vm, image, launchedNs };
}

/** A client connection to the unix socket at `path`, retried until QEMU has bound it. */
export function connectWhenListening(t: Pick<TestContext, 'after'>, path: string): Promise<Socket> {
  return waitFor(
    `${path} to accept a connection`,
    () =>
      new Promise<Socket>((resolve, reject) => {
        const socket = createConnection({ path });
        socket.once('connect', () => {
          t.after(() => socket.destroy());
          resolve(socket);
        });
        socket.once('error', reject);
      }),
    SOCKET_TIMEOUT_MS,
  );
}
