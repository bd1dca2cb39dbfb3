// `vmtel sim` as a process of its own, the VM an idle benchmark measures against: it serves
// agent.sock, qmp.sock and qemu.pid in a run dir, and its node process stands in for QEMU for
// the samplers (vmtel's qemu_process and collectd's processes plugin).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { withDeadline } from '../../test/helpers/wait-for';
import { CLI } from './vmtel-child';

export interface SimProcess {
  pid: number;
  /** Ends the simulator and waits for its exit. */
  stop(): Promise<void>;
}

/** Starts `vmtel sim` serving `runDir`, its agent writing `agentRowsPerSec` rows a second; resolves once it is ready. */
export async function startSim(runDir: string, agentRowsPerSec: number): Promise<SimProcess> {
  const args = [CLI, 'sim', '--run-dir', runDir, '--agent-rate', String(agentRowsPerSec)];
  const sim = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(sim, 'exit');
  const stop = async (): Promise<void> => {
    if (sim.exitCode === null && sim.signalCode === null) sim.kill('SIGTERM');
    await withDeadline('vmtel sim to exit', exited, 10_000);
  };
  try {
    await withDeadline('vmtel sim to be ready', simReady(sim.stdout), 10_000);
  } catch (err) {
    sim.kill('SIGKILL');
    throw err;
  }
  return { pid: sim.pid ?? NaN, stop };
}

async function simReady(stdout: NodeJS.ReadableStream): Promise<void> {
  for await (const line of createInterface({ input: stdout })) {
    if ((JSON.parse(line) as { sim?: string }).sim === 'ready') return;
  }
  throw new Error('vmtel sim ended before it was ready');
}
