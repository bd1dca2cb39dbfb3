// Both ends of a worker's start: the orchestrator spawns it with a typed WorkerStart and the
// worker reads the same type back, so a field renamed on one side fails to compile on the
// other. What is passed crosses whole (structured clone): nothing is copied field by field.
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Worker, workerData } from 'node:worker_threads';
import type { DescribeRequest, ModuleDescription } from './module-description';
import type { WorkerSetup } from './thread-messages';
import { defaultMaxHeapMb } from './worker-limits';

const WORKER_ENTRY = join(__dirname, 'collector-worker.js');

// A module that has not loaded and checked its options by then is stuck (a loop at load, a
// wait on something that never comes): validate must answer, not hang.
const DESCRIBE_TIMEOUT_MS = 10_000;

/** What a worker is started for: running a collector, or describing a user's module. */
export type WorkerStart = { run: WorkerSetup } | { describe: DescribeRequest };

// V8's memory reducer, set up in each heap as it is created, follows a thread's quiet spells with
// full garbage collections that compact the heap and hand pages back, which the thread then
// faults in again: in a collector that samples once a second, that was half the idle cost of the
// process (worker threads and V8's helpers; measured side by side with and without, see
// docs/benchmarks.md). Collectors' heaps are small and bounded by max_heap_mb; regular GCs still
// collect them. Set before the first worker's heap exists (flags are the process's).
let memoryReducerOff = false;
function turnMemoryReducerOff(): void {
  if (memoryReducerOff) return;
  setFlagsFromString('--no-memory-reducer');
  memoryReducerOff = true;
}

/** Starts the worker of `setup.entry`, its heap bounded by the entry's max_heap_mb. */
export function spawnCollectorWorker(setup: WorkerSetup): Worker {
  turnMemoryReducerOff();
  return new Worker(WORKER_ENTRY, {
    name: `vmtel:${setup.entry.name}`,
    resourceLimits: { maxOldGenerationSizeMb: setup.entry.max_heap_mb },
    workerData: { run: setup } satisfies WorkerStart,
  });
}

/** Loads a user's module in a worker of its own and checks an entry's options there. */
export async function describeInWorker(request: DescribeRequest): Promise<ModuleDescription> {
  const worker = new Worker(WORKER_ENTRY, {
    name: 'vmtel:describe-module',
    resourceLimits: { maxOldGenerationSizeMb: defaultMaxHeapMb('', true) },
    workerData: { describe: request } satisfies WorkerStart,
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    // The first of these decides; a later one finds the promise settled.
    return await new Promise<ModuleDescription>((resolve) => {
      const failed = (message: string): void => resolve({ ok: false, code: 'VMTEL_MODULE_INVALID', message });
      timer = setTimeout(() => failed(`collector module ${request.modulePath} did not load within ${DESCRIBE_TIMEOUT_MS / 1000} s`), DESCRIBE_TIMEOUT_MS);
      worker.once('message', (description: ModuleDescription) => resolve(description));
      worker.once('error', (err) => failed(`cannot load collector module ${request.modulePath}: ${err.message}`));
      worker.once('exit', () => failed(`collector module ${request.modulePath} ended its thread while loading`));
    });
  } finally {
    clearTimeout(timer);
    await worker.terminate();
  }
}

/** In the worker: why it was started. */
export function receivedStart(): WorkerStart {
  return workerData as WorkerStart;
}

