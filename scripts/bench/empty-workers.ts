// What a start floor does once it is ready to start workers: start `count` empty worker threads,
// each stamping the moment its code runs, and print the last stamp (CLOCK_MONOTONIC ns).
import { Worker } from 'node:worker_threads';

const STAMP_AND_SAY = 'require("node:worker_threads").parentPort.postMessage(String(process.hrtime.bigint()))';

export function startEmptyWorkers(count: number): void {
  const stamps: bigint[] = [];
  for (let i = 0; i < count; i++) {
    const worker = new Worker(STAMP_AND_SAY, { eval: true });
    worker.once('message', (stamp: string) => {
      stamps.push(BigInt(stamp));
      if (stamps.length === count) process.stdout.write(String(stamps.reduce((a, b) => (a > b ? a : b))));
      void worker.terminate();
    });
  }
}
