// One idle measurement window: CPU from the scheduler's per-thread counts before and after (exact
// to the µs over the window), and the largest resident memory sampled along it. Shared by every
// idle figure, vmtel's and its peers', so all are taken the same way.
import { setTimeout as delay } from 'node:timers/promises';

// RSS is sampled this often over the window.
const RSS_SAMPLE_MS = 500;

export interface IdleWindow {
  windowS: number;
  cpuPctOfCore: number;
  maxRssMib: number;
}

/** Measures over `windowS` what `cpuMs` (CPU so far, ms) and `rssKib` (resident now) report. */
export async function measureIdleWindow(windowS: number, cpuMs: () => number, rssKib: () => number): Promise<IdleWindow> {
  const cpuBeforeMs = cpuMs();
  const windowStartMs = performance.now();
  let maxRssKib = 0;
  for (let elapsedMs = 0; elapsedMs < windowS * 1000; elapsedMs = performance.now() - windowStartMs) {
    maxRssKib = Math.max(maxRssKib, rssKib());
    await delay(RSS_SAMPLE_MS);
  }
  const usedMs = cpuMs() - cpuBeforeMs;
  const windowMs = performance.now() - windowStartMs;
  return { windowS: windowMs / 1000, cpuPctOfCore: (usedMs / windowMs) * 100, maxRssMib: maxRssKib / 1024 };
}
