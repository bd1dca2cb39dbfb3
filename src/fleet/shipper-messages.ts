// The one tagged union of messages between `vmtel run`'s main thread and its shipper worker.
import type { SerializedError } from '../errors';
import type { ShipperSetup } from './shipper';

export type { ShipperSetup };

/** Main thread to shipper: the episode has stopped; ship to the end, then ship the final manifest. */
export type ToShipper = { type: 'drain'; deadlineMs: number } | { type: 'finish'; deadlineMs: number };

export type FromShipper =
  | { type: 'event'; event: string; fields: Record<string, unknown> }
  | { type: 'log'; level: 'error' | 'warn' | 'info' | 'debug'; message: string }
  /** Every append-only file acknowledged to its end (complete), or the deadline passed. */
  | { type: 'drained'; complete: boolean }
  | { type: 'finished'; complete: boolean }
  | { type: 'failed'; error: SerializedError };
