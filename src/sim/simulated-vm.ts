// A stand-in for a QEMU VM in a run dir, for demos and tests without KVM: the pid file, the guest
// agent's socket (rows with a drifting guest clock) and the QMP monitor, with faults on cue. A
// paused VM's guest cannot run, so STOP silences the agent until RESUME, as on real hardware.
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../orchestrator/atomic-file';
import { QmpServer, type RunState } from './qmp-server';
import type { SimCue } from './sim-cue';
import { SimulatedGuestAgent } from './simulated-guest-agent';

/** The files QEMU would create in the run dir, named as vmtel's defaults expect them. */
export const SIM_FILES = { pid: 'qemu.pid', agentSocket: 'agent.sock', qmpSocket: 'qmp.sock' } as const;

export interface SimulatedVmOptions {
  runDir: string;
  /** Agent rows per second while the guest runs. */
  agentRatePerSec: number;
  /** How fast the guest clock runs against the host's, in parts per million. */
  driftPpm: number;
  vcpus: number;
  /** Hears of a failure of a delayed cue action (the agent socket could not come back, say). */
  onError(err: Error): void;
}

export class SimulatedVm {
  /** Resolves once the VM has shut down (SHUTDOWN sent): a real QEMU exits then. */
  readonly shutDown: Promise<void>;
  private readonly timers = new Set<NodeJS.Timeout>();
  private qmp!: QmpServer;
  private agent!: SimulatedGuestAgent;
  private reportShutdown: () => void = () => undefined;

  private constructor(
    private readonly runDir: string,
    private readonly onError: (err: Error) => void,
  ) {
    this.shutDown = new Promise((resolve) => (this.reportShutdown = resolve));
  }

  /** Listens on both sockets, then writes the pid file, so a reader of the pid finds the sockets. */
  static async start(options: SimulatedVmOptions): Promise<SimulatedVm> {
    mkdirSync(options.runDir, { recursive: true });
    const vm = new SimulatedVm(options.runDir, options.onError);
    vm.agent = await SimulatedGuestAgent.start({
      path: join(options.runDir, SIM_FILES.agentSocket),
      ratePerSec: options.agentRatePerSec,
      driftPpm: options.driftPpm,
    });
    vm.qmp = await QmpServer.listen({
      path: join(options.runDir, SIM_FILES.qmpSocket),
      vcpuThreadIds: ownThreadIds(options.vcpus),
      onStatusChange: (status) => vm.onStatusChange(status),
    });
    writeFileAtomic(join(options.runDir, SIM_FILES.pid), `${process.pid}\n`);
    return vm;
  }

  /** Does what `cue` asks; resolves once it is done (a malformed burst: once a client took it). */
  async apply(cue: SimCue): Promise<void> {
    switch (cue.kind) {
      case 'agent-silence':
        this.agent.silence('cue', true);
        if (cue.durationMs !== null) this.after(cue.durationMs, async () => this.agent.silence('cue', false));
        return;
      case 'agent-resume':
        return this.agent.silence('cue', false);
      case 'agent-malformed':
        return this.agent.sendMalformed(cue.lines);
      case 'agent-disconnect':
        await this.agent.goAway();
        return this.after(cue.durationMs, () => this.agent.comeBack());
      case 'qmp-close':
        return this.qmp.dropClient();
      case 'qmp-stop':
      case 'qmp-cont':
        return this.qmp.setRunning(cue.kind === 'qmp-cont');
      case 'qmp-event':
        if (!this.qmp.sendEvent(cue.event)) throw new Error('no negotiated QMP client to send the event to');
        return;
      case 'shutdown':
        return this.qmp.powerdown();
      default:
        throw new Error(`unhandled sim cue ${JSON.stringify(cue satisfies never)}`);
    }
  }

  /** Closes both sockets and removes them and the pid file (only if it still names this process). */
  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all([this.agent.close(), this.qmp.close()]);
    removePidFileIfOurs(join(this.runDir, SIM_FILES.pid));
  }

  private onStatusChange(status: RunState): void {
    this.agent.silence('paused', status !== 'running');
    if (status === 'shutdown') this.reportShutdown();
  }

  private after(ms: number, action: () => Promise<void>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action().catch(this.onError);
    }, ms);
    this.timers.add(timer);
  }
}

// Another process may own the pid file by now (a restarted simulator): only our own is removed.
function removePidFileIfOurs(path: string): void {
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch {
    return;
  }
  if (text.trim() === String(process.pid)) rmSync(path, { force: true });
}

// Real threads of this process stand for the vCPU threads, so a qemu_process collector pointed at
// the pid file finds them in /proc/PID/task. The main thread is skipped: QEMU's vCPUs are not it.
function ownThreadIds(vcpus: number): number[] {
  const others = readdirSync('/proc/self/task')
    .map(Number)
    .filter((tid) => tid !== process.pid)
    .sort((a, b) => a - b);
  return Array.from({ length: vcpus }, (_, index) => others[index] ?? process.pid);
}
