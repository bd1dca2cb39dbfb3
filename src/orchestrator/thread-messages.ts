// The one tagged union of messages between the orchestrator and a collector worker. Errors cross
// as SerializedError because postMessage drops an Error's name and code.
import type { CollectorCounts, LogLevel } from '../collectors/contract';
import type { CollectorEntry } from '../config/collector-entry';
import type { SerializedError } from '../errors';

/** What a worker is told when it starts (its workerData; see worker-spawn.ts). */
export interface WorkerSetup {
  /** The collector's resolved entry, as the config loader made it. */
  entry: CollectorEntry;
  runDir: string;
  controlBuffer: SharedArrayBuffer;
  /** This collector's heartbeat slot in the control block. */
  heartbeatSlot: number;
  /** The collector's live counts (src/live/live-counts.ts); absent when run outside an episode. */
  liveBuffer?: SharedArrayBuffer;
  /** The latest value of every published topic at the time the worker starts. */
  shared: Record<string, unknown>;
}

export type WorkerMessage =
  /** Stamped by the worker as its collector starts: the main thread may be busy when it reads it. */
  | { type: 'started'; tMonoNs: bigint }
  | { type: 'event'; tMonoNs: bigint; event: string; fields: Record<string, unknown> }
  | { type: 'log'; level: LogLevel; message: string; fields: Record<string, unknown> }
  | { type: 'counts'; counts: CollectorCounts }
  | { type: 'publish'; topic: string; value: unknown }
  | { type: 'end_episode'; reason: string }
  | { type: 'stopped'; reason: string; counts: CollectorCounts }
  | { type: 'failed'; error: SerializedError; counts: CollectorCounts };

export type MainMessage =
  | { type: 'shared'; topic: string; value: unknown }
  /** Post your counts now (`vmtel status` wants drops by reason that are at most a second old). */
  | { type: 'report_counts' };
