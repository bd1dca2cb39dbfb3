// The worker entry: glue only. It loads the collector module named in workerData and hands it
// to hostCollector with the parent port as its channel. One entry serves every collector kind,
// built-in or `module:`, so there is exactly one path from a worker to the orchestrator.
import { parentPort, workerData } from 'node:worker_threads';
import { serializeError } from '../errors';
import { emptyCounts } from './collector-counts';
import { hostCollector } from './collector-host';
import { loadCollectorModule } from './load-collector-module';
import type { MainMessage, WorkerMessage, WorkerSetup } from './thread-messages';

const port = parentPort;
if (port === null) throw new Error('collector-worker.js runs only as a worker thread');
const setup = workerData as WorkerSetup;
const post = (message: WorkerMessage): void => port.postMessage(message);

loadCollectorModule(setup.modulePath)
  .then((definition) =>
    hostCollector(definition, setup, {
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
