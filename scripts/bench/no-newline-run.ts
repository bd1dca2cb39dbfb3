// A guest that sends bytes without ever a newline: vmtel must hold at most max_line_bytes of it,
// skip the rest, and spend CPU in proportion to the bytes. After the flood come a newline and one
// good row, which must arrive intact, with the long line counted once as line_too_long.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '../../test/helpers/wait-for';
import { guestOnlyCollectors, withBenchDir } from './bench-dir';
import { GeneratorProcess } from './generator-process';
import { checkRows, rowProblems } from './verify-rows';
import { VmtelChild } from './vmtel-child';

// Often enough to catch a transient peak the kernel's high-water mark would hide behind start-up's.
const RSS_SAMPLE_MS = 50;

export interface NoNewlineRun {
  bytes: number;
  seconds: number;
  rssBeforeMib: number;
  /** The most vmtel held during the flood, minus what it held before it. */
  rssGrowthMib: number;
  cpuMs: number;
  cpuNsPerByte: number;
  problems: string[];
}

export async function runNoNewline(bytes: number, rowBytes: number): Promise<NoNewlineRun> {
  return withBenchDir(async (dir) => {
    const socketPath = join(dir, 'agent.sock');
    const generator = await GeneratorProcess.start({ socketPath, rowBytes, noNewlineBytes: bytes });
    const vmtel = VmtelChild.start(dir, guestOnlyCollectors(socketPath, true));
    const outPath = join(vmtel.runDir, 'telemetry-guest.jsonl');
    let maxRssKib = 0;
    const sampler = setInterval(() => (maxRssKib = Math.max(maxRssKib, vmtel.memory()?.rssKib ?? 0)), RSS_SAMPLE_MS);
    try {
      await generator.message('client', 10_000);
      const before = vmtel.memory() ?? fail('vmtel exited before the flood');
      const cpuBeforeMs = vmtel.preciseCpuMs();
      const sent = await generator.run(300_000);
      await waitFor('the row after the long line on disk', () => (statSync(outPath, { throwIfNoEntry: false })?.size ?? 0) > 0, 10_000);
      const cpuMs = vmtel.preciseCpuMs() - cpuBeforeMs;
      const after = vmtel.memory() ?? fail('vmtel exited during the flood');
      clearInterval(sampler);
      vmtel.terminate();
      await vmtel.exited(10_000);
      // A new high-water mark is the exact peak; otherwise the peak was start-up's, and the samples tell.
      const peakKib = after.peakRssKib > before.peakRssKib ? after.peakRssKib : Math.max(maxRssKib, after.rssKib);
      const problems = rowProblems(await checkRows(outPath, rowBytes, vmtel.originNs()), 1);
      const dropped = vmtel.manifest().collectors['guest_agent']?.dropped;
      if (JSON.stringify(dropped) !== '{"line_too_long":1}') problems.push(`dropped: ${JSON.stringify(dropped)}`);
      return {
        bytes: sent.bytes,
        seconds: Number(BigInt(sent.last_accepted_ns ?? 0) - BigInt(sent.first_send_ns ?? 0)) / 1e9,
        rssBeforeMib: before.rssKib / 1024,
        rssGrowthMib: (peakKib - before.rssKib) / 1024,
        cpuMs,
        cpuNsPerByte: (cpuMs * 1e6) / sent.bytes,
        problems,
      };
    } finally {
      clearInterval(sampler);
      vmtel.kill();
      await generator.close();
    }
  });
}

function fail(message: string): never {
  throw new Error(message);
}
