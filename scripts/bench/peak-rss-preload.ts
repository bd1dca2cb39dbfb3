// Preloaded (--require) into a measured process: as it exits, it writes its peak resident
// memory (VmHWM, KiB) to the file named by VMTEL_BENCH_PEAK_RSS_FILE, so the harness learns the
// peak of the whole run, not of the moments it happened to sample.
import { readFileSync, writeFileSync } from 'node:fs';

const target = process.env['VMTEL_BENCH_PEAK_RSS_FILE'];
if (target !== undefined) {
  process.on('exit', () => {
    const peak = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'latin1'))?.[1];
    writeFileSync(target, peak ?? 'NaN');
  });
}
