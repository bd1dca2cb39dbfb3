// The floor for start latency on this machine: a bare Node process that starts N empty worker
// threads and does nothing else (no modules, no config, no files), timed like vmtel, from the
// harness's clock reading before spawn() to the instant its last worker runs. What vmtel takes
// beyond it is its own; the rest is Node booting a process and N isolates on these cores.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { withDeadline } from '../../test/helpers/wait-for';

// Each worker stamps the moment its code runs; the parent prints the last stamp and exits.
const BARE_PROCESS = `
const { Worker } = require('node:worker_threads');
const count = Number(process.argv[1]);
const stamps = [];
for (let i = 0; i < count; i++) {
  const worker = new Worker('require("node:worker_threads").parentPort.postMessage(String(process.hrtime.bigint()))', { eval: true });
  worker.once('message', (stamp) => {
    stamps.push(BigInt(stamp));
    if (stamps.length === count) process.stdout.write(String(stamps.reduce((a, b) => (a > b ? a : b))));
    worker.terminate();
  });
}
`;

/** Milliseconds from spawn() to the last of `workers` empty workers running. */
export async function runBareWorkers(workers: number): Promise<number> {
  const spawnNs = process.hrtime.bigint();
  const child = spawn(process.execPath, ['-e', BARE_PROCESS, String(workers)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await withDeadline('the bare worker process to exit', once(child, 'exit'), 10_000)) as [number | null];
  if (code !== 0 || output === '') throw new Error(`the bare worker process failed (exit ${code})`);
  return Number(BigInt(output) - spawnNs) / 1e6;
}
