// How the end of a worker that did not say why becomes a failure with a code of its own: the
// worker thread cannot report these itself (it is gone, out of heap, or stuck), so the main
// thread words them, flattened as every failure crossing a thread is.
import { serializeError, type ErrorCode, type SerializedError } from '../errors';

/** A failure the main thread saw happen to a worker. */
export function workerFailure(code: ErrorCode, message: string): SerializedError {
  return { name: 'VmtelError', code, message, stack: '' };
}

/** A worker's 'error' event: its own code when it ran out of heap, the collector's failure otherwise. */
export function workerError(err: Error, maxHeapMb: number): SerializedError {
  const error = serializeError(err, 'VMTEL_COLLECTOR_FAILED');
  if (error.code !== 'ERR_WORKER_OUT_OF_MEMORY') return error;
  return { ...error, code: 'VMTEL_WORKER_OUT_OF_MEMORY', message: `collector worker ran out of its ${maxHeapMb} MiB heap (max_heap_mb): ${error.message}` };
}
