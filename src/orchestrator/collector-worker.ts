// The worker entry: glue only. It finds the collector named in workerData (a built-in kind, or a
// user's module) and hands it to runCollector with the parent port as its channel. One entry
// serves every collector, so there is exactly one path from a worker to the orchestrator; it
// also describes a user's module to the config loader (module-description.ts), so that code
// never loads in the orchestrator's thread.
import { parentPort } from 'node:worker_threads';
import { builtInKind } from '../collectors/registry';
import { serializeError, VmtelError } from '../errors';
import { emptyCounts } from './collector-counts';
import { runCollector, type Runnable } from './collector-runtime';
import { loadCollectorModule } from './load-collector-module';
import type { MainMessage, WorkerMessage } from './thread-messages';
import { describeModule } from './module-description';
import { receivedStart } from './worker-spawn';
import type { WorkerSetup } from './thread-messages';

if (parentPort === null) throw new Error('collector-worker.js runs only as a worker thread');
const port = parentPort;
const start = receivedStart();
const post = (message: WorkerMessage): void => port.postMessage(message);

async function findCollector(setup: WorkerSetup): Promise<Runnable> {
  const { module, kind } = setup.entry;
  if (module !== undefined) return { module: await loadCollectorModule(module) };
  const definition = builtInKind(kind);
  if (definition === undefined) throw new VmtelError('VMTEL_MODULE_INVALID', `no built-in collector kind "${kind}"`);
  return { builtIn: definition };
}

function run(setup: WorkerSetup): void {
  findCollector(setup)
    .then((runnable) =>
      runCollector(runnable, setup, {
        post,
        onMessage: (handler) => port.on('message', (message: MainMessage) => handler(message)),
      }),
    )
    .then(
      () => port.close(),
      (err: unknown) => {
        post({ type: 'failed', error: serializeError(err, 'VMTEL_MODULE_INVALID'), counts: emptyCounts() });
        port.close();
      },
    );
}

if ('run' in start) run(start.run);
else void describeModule(start.describe).then((description) => port.postMessage(description));
