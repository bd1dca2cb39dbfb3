// Stop latency: SIGTERM to vmtel's exit while the generator keeps sending. The check that goes
// with it: every row the kernel had accepted from the generator before the signal was sent is
// on disk, once, byte-exact, and the file holds exactly the rows vmtel counted.
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { guestOnlyCollectors, withBenchDir } from './bench-dir';
import { GeneratorProcess } from './generator-process';
import { checkRows, rowProblems } from './verify-rows';
import { VmtelChild } from './vmtel-child';

export interface StopRun {
  latencyMs: number;
  /** Rows accepted by the kernel before SIGTERM: each must be on disk. */
  rowsBeforeSignal: number;
  /** Rows on disk; those beyond rowsBeforeSignal were read while stopping. */
  rowsOnDisk: number;
  problems: string[];
}

/** Sends rows (`ratePerSec` or flat out) for `loadMs`, then SIGTERM. */
export async function runStop(ratePerSec: number | undefined, loadMs: number, rowBytes: number): Promise<StopRun> {
  return withBenchDir(async (dir) => {
    const socketPath = join(dir, 'agent.sock');
    const generator = await GeneratorProcess.start({ socketPath, rowBytes, ...(ratePerSec === undefined ? {} : { ratePerSec }) });
    const vmtel = VmtelChild.start(dir, guestOnlyCollectors(socketPath, true));
    try {
      await generator.message('client', 10_000);
      generator.command('go');
      // The load runs for a while (not a synchronisation: how long rows flow before the signal).
      await delay(loadMs);
      const signalNs = vmtel.terminate();
      const exit = await vmtel.exited(10_000);
      await generator.message('done', 10_000);
      const rowsBeforeSignal = await generator.rowsSentBefore(signalNs);
      const check = await checkRows(join(vmtel.runDir, 'telemetry-guest.jsonl'), rowBytes, vmtel.originNs());
      const problems = rowProblems(check, rowsBeforeSignal);
      const counts = vmtel.manifest().collectors['guest_agent'];
      if (counts?.rows !== check.lines) problems.push(`vmtel counted ${counts?.rows} rows, the file has ${check.lines}`);
      const { partial_line: partial = 0, ...otherDrops } = counts?.dropped ?? {};
      if (partial > 1 || Object.keys(otherDrops).length > 0) problems.push(`dropped: ${JSON.stringify(counts?.dropped)}`);
      return { latencyMs: Number(exit.exitNs - signalNs) / 1e6, rowsBeforeSignal, rowsOnDisk: check.rows, problems };
    } finally {
      vmtel.kill();
      await generator.close();
    }
  });
}
