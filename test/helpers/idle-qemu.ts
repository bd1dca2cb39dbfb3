// A real QEMU with no machine (`-machine none`): no guest, no CPU to speak of, but its QMP
// monitor, a chardev socket and its pid file are QEMU's own. Enough for tests of what vmtel
// checks and samples on the host side, in well under a second.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { waitFor } from './wait-for';

export interface IdleQemu {
  pid: number;
  qmpSocket: string;
  agentSocket: string;
  pidfile: string;
}

/** Starts QEMU serving `dir`/qmp.sock and `dir`/agent.sock, writing `dir`/qemu.pid; killed after `t`. */
export async function startIdleQemu(t: Pick<TestContext, 'after'>, dir: string): Promise<IdleQemu> {
  const qmpSocket = join(dir, 'qmp.sock');
  const agentSocket = join(dir, 'agent.sock');
  const pidfile = join(dir, 'qemu.pid');
  const qemu = spawn(
    'qemu-system-x86_64',
    ['-machine', 'none', '-display', 'none', '-nodefaults', '-monitor', 'none', '-serial', 'none',
      '-qmp', `unix:${qmpSocket},server=on,wait=off`, '-chardev', `socket,id=agent,path=${agentSocket},server=on,wait=off`, '-pidfile', pidfile],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  qemu.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  t.after(() => {
    if (qemu.exitCode === null && qemu.signalCode === null) qemu.kill('SIGKILL');
  });
  await waitFor(`QEMU's sockets and pid file (stderr: ${stderr})`, () => existsSync(qmpSocket) && existsSync(agentSocket) && readFileSync(pidfile, 'utf8').trim() !== '', 10_000);
  return { pid: qemu.pid!, qmpSocket, agentSocket, pidfile };
}
