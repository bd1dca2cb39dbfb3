// The worker entry: glue only. It finds the collector named in workerData (a built-in kind, or a
// user's module) and hands it to runCollector with the parent port as its channel. One entry
// serves every collector, so there is exactly one path from a worker to the orchestrator.
import { parentPort } from 'node:worker_threads';
import { builtInKind } from '../collectors/registry';
import { serializeError, VmtelError } from '../errors';
import { emptyCounts } from './collector-counts';
import { runCollector, type Runnable } from './collector-runtime';
import { loadCollectorModule } from './load-collector-module';
import type { MainMessage, WorkerMessage } from './thread-messages';
import { receivedSetup } from './worker-spawn';

const port = parentPort;
if (port === null) throw new Error('collector-worker.js runs only as a worker thread');
const setup = receivedSetup();
const post = (message: WorkerMessage): void => port.postMessage(message);

async function findCollector(): Promise<Runnable> {
  const { module, kind } = setup.entry;
  if (module !== undefined) return { module: await loadCollectorModule(module) };
  const definition = builtInKind(kind);
  if (definition === undefined) throw new VmtelError('VMTEL_MODULE_INVALID', `no built-in collector kind "${kind}"`);
  return { builtIn: definition };
}

findCollector()
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
