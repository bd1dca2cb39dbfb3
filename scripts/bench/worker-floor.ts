// What a Node process and each worker thread cost in resident memory before any code of vmtel
// runs: a process that starts `workers` empty workers and keeps them alive. With the sixteen-VM
// figure it tells what one process per host (instead of one per VM) would save.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { withDeadline } from '../../test/helpers/wait-for';
import { processMemory } from './proc-usage';

// Long enough for start-up's garbage to be collected; RSS is read once after it.
const SETTLE_MS = 3000;

// Each worker holds a timer open so that it stays alive, idle; the process says when all run.
const KEEP_WORKERS = `
const { Worker } = require('node:worker_threads');
const count = Number(process.argv[1]);
let online = 0;
for (let i = 0; i < count; i++) new Worker('setInterval(() => undefined, 1 << 30)', { eval: true }).once('online', () => ++online === count && console.log('ready'));
if (count === 0) console.log('ready');
setInterval(() => undefined, 1 << 30);
`;

/** VmRSS in MiB of an idle Node process holding `workers` empty worker threads. */
export async function idleWorkersRssMib(workers: number): Promise<number> {
  const child = spawn(process.execPath, ['-e', KEEP_WORKERS, String(workers)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  try {
    await withDeadline(`${workers} empty workers to start`, once(child.stdout, 'data'), 10_000);
    await delay(SETTLE_MS);
    return processMemory(child.pid ?? NaN).rssKib / 1024;
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}
