// Both ends of a collector worker's start: the orchestrator spawns it with a typed WorkerSetup
// and the worker reads the same type back, so a field renamed on one side fails to compile on
// the other. The setup is passed whole (structured clone): nothing is copied field by field.
import { join } from 'node:path';
import { Worker, workerData } from 'node:worker_threads';
import type { WorkerSetup } from './thread-messages';

const WORKER_ENTRY = join(__dirname, 'collector-worker.js');

/** Starts the worker of `setup.entry`, its heap bounded by the entry's max_heap_mb. */
export function spawnCollectorWorker(setup: WorkerSetup): Worker {
  return new Worker(WORKER_ENTRY, {
    name: `vmtel:${setup.entry.name}`,
    resourceLimits: { maxOldGenerationSizeMb: setup.entry.max_heap_mb },
    workerData: setup,
  });
}

/** In the worker: the setup spawnCollectorWorker passed. */
export function receivedSetup(): WorkerSetup {
  return workerData as WorkerSetup;
}
