// A stand-in for a guest's virtio-serial port, to run vmtel-agent on the host: a ports dir that
// lists ports by name as /sys/class/virtio-ports does, and a FIFO as each port's device. Like a
// port whose host side is absent, a FIFO without a reader blocks the agent's open; when the
// reader goes, the agent's next write fails (EPIPE), as a port write does on an unplugged port.
import { constants, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { execFileSync } from 'node:child_process';

export interface FifoPorts {
  /** The agent's environment that points it at these ports. */
  env: { VMTEL_AGENT_PORTS_DIR: string; VMTEL_AGENT_DEV_DIR: string };
  /** Lists port `device` (vport0p1, ...) under `name` and creates its FIFO. */
  add(device: string, name: string): string;
  /** Opens the reading end of a port's FIFO; it is closed when the test ends, or by destroy(). */
  read(devicePath: string): Socket;
}

export function fifoPorts(t: Pick<TestContext, 'after'>, dir: string): FifoPorts {
  const portsDir = join(dir, 'ports');
  const devDir = join(dir, 'dev');
  mkdirSync(portsDir);
  mkdirSync(devDir);
  return {
    env: { VMTEL_AGENT_PORTS_DIR: portsDir, VMTEL_AGENT_DEV_DIR: devDir },
    add: (device, name) => {
      const devicePath = join(devDir, device);
      execFileSync('mkfifo', [devicePath]);
      mkdirSync(join(portsDir, device));
      writeFileSync(join(portsDir, device, 'name'), `${name}\n`);
      return devicePath;
    },
    read: (devicePath) => {
      // Read-write and non-blocking: the open returns at once, and the reader never sees EOF
      // while the agent is between two opens.
      const fd = openSync(devicePath, constants.O_RDWR | constants.O_NONBLOCK);
      const socket = new Socket({ fd, readable: true, writable: false });
      t.after(() => socket.destroy());
      return socket;
    },
  };
}
