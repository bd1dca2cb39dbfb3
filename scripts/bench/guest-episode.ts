// One `vmtel run` episode with only guest_agent, fed by the load generator until it has sent its
// rows and closed the socket; guest_agent (reconnect off) then finishes and vmtel exits by
// itself. What the flood and alignment benchmarks read off it is gathered here.
import { join } from 'node:path';
import { guestOnlyCollectors, withBenchDir } from './bench-dir';
import { GeneratorProcess, type GeneratorDone } from './generator-process';
import { checkRows, type RowCheck } from './verify-rows';
import { VmtelChild, type VmtelExit } from './vmtel-child';

export interface GuestEpisode {
  sent: GeneratorDone;
  exit: VmtelExit;
  /** vmtel's CPU from "go" (its start-up done, connected) to its exit. */
  cpuAfterGoMs: number;
  /** When guest_agent had closed its file (collector_stopped), absolute monotonic ns. */
  lastRowOnDiskNs: bigint;
  check: RowCheck;
  /** From spawning vmtel to guest_agent's collector_started, in ms. */
  startLatencyMs: number;
  /** What `alongside` found wrong; empty without one. */
  besideProblems: string[];
}

export interface GuestLoad {
  rows: number;
  rowBytes: number;
  ratePerSec?: number;
  /** Top-level YAML added to the episode's config (the fleet benchmark's `ship:`). */
  moreYaml?: string;
}

/** Work done beside the flood (a marking client, say): started once vmtel is connected. */
export interface Alongside {
  /** Called once the generator has sent everything. */
  stop(): Promise<void>;
  /** Called after vmtel exited, before its run dir is removed; returns correctness problems. */
  check(vmtel: VmtelChild): string[];
}

export async function runGuestEpisode(load: GuestLoad, timeoutMs: number, alongside?: (runDir: string) => Alongside): Promise<GuestEpisode> {
  return withBenchDir(async (dir) => {
    const socketPath = join(dir, 'agent.sock');
    const { moreYaml = '', ...rows } = load;
    const generator = await GeneratorProcess.start({ socketPath, ...rows, close: true });
    const vmtel = VmtelChild.start(dir, guestOnlyCollectors(socketPath, false), moreYaml);
    try {
      await generator.message('client', 10_000);
      const cpuAtGoMs = vmtel.cpuMs();
      const beside = alongside?.(vmtel.runDir);
      const sent = await generator.run(timeoutMs);
      await beside?.stop();
      const exit = await vmtel.exited(timeoutMs);
      const stopped = vmtel.events().find((e) => e.event === 'collector_stopped' && e.source === 'guest_agent');
      if (stopped === undefined) throw new Error('guest_agent never said collector_stopped');
      const check = await checkRows(join(vmtel.runDir, 'telemetry-guest.jsonl'), load.rowBytes, vmtel.originNs());
      const besideProblems = beside?.check(vmtel) ?? [];
      const started = vmtel.events().filter((e) => e.event === 'collector_started');
      return { sent, exit, cpuAfterGoMs: exit.cpuMs - cpuAtGoMs, lastRowOnDiskNs: stopped.atNs, check, startLatencyMs: vmtel.startLatencyMs(started), besideProblems };
    } finally {
      vmtel.kill();
      await generator.close();
    }
  });
}
