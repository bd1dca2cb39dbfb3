// Runs a collector definition in the test's own thread through the same host the worker uses, so
// a collector's logic is tested without a worker, with real sockets and files, and its messages
// (events, logs, counts, the final stopped/failed) collected for assertions.
import { join } from 'node:path';
import type { BuiltInDefinition } from '../../src/collectors/contract';
import { checkOptions } from '../../src/config/check-options';
import { KeyLines } from '../../src/config/key-lines';
import { ProblemList } from '../../src/config/problem-list';
import { ControlBlock } from '../../src/control/control-block';
import { runCollector } from '../../src/orchestrator/collector-runtime';
import { defaultMaxHeapMb } from '../../src/orchestrator/worker-limits';
import type { MainMessage, WorkerMessage } from '../../src/orchestrator/thread-messages';
import { withDeadline } from './wait-for';

export interface InThreadOptions {
  runDir: string;
  /** Options beside the schema's defaults. */
  options?: Record<string, unknown>;
  name?: string;
  outputPath?: string;
  availableInDeployment?: boolean;
  flushMs?: number;
  control?: ControlBlock;
  shared?: Record<string, unknown>;
}

export interface InThreadCollector {
  control: ControlBlock;
  outputPath: string;
  messages: WorkerMessage[];
  /** Resolves when the collector has posted stopped or failed. */
  done: Promise<void>;
  /** The events posted so far, optionally only those named `event`. */
  events(event?: string): Array<Extract<WorkerMessage, { type: 'event' }>>;
  /** The final message, once `done` has resolved. */
  outcome(): Extract<WorkerMessage, { type: 'stopped' | 'failed' }> | undefined;
  /** Sends a message as the orchestrator would (a shared topic). */
  send(message: MainMessage): void;
  /** Raises the stop flag and waits for the collector to finish. */
  stop(timeoutMs?: number): Promise<void>;
}

export function startInThread(definition: BuiltInDefinition, options: InThreadOptions): InThreadCollector {
  const control = options.control ?? ControlBlock.create();
  const name = options.name ?? definition.kind;
  const outputPath = options.outputPath ?? join(options.runDir, definition.defaultOutput ?? `telemetry-${name}.jsonl`);
  const messages: WorkerMessage[] = [];
  const handlers: Array<(message: MainMessage) => void> = [];
  // Checked as the config loader checks them: a collector never runs options validate refuses.
  const problems = new ProblemList(`${name} options`, new KeyLines());
  const place = { at: ['collectors', name], problems, bases: { runDir: options.runDir, configDir: options.runDir }, origins: new Map() };
  const resolvedOptions = checkOptions(options.options ?? {}, definition.options, place);
  problems.throwIfAny();
  const done = runCollector(
    { builtIn: definition },
    {
      entry: {
        name,
        kind: definition.kind,
        enabled: true,
        output: outputPath,
        available_in_deployment: options.availableInDeployment ?? definition.defaultAvailableInDeployment,
        flush_ms: options.flushMs ?? 100,
        max_heap_mb: defaultMaxHeapMb(definition.kind, false),
        options: resolvedOptions,
      },
      runDir: options.runDir,
      controlBuffer: control.buffer,
      heartbeatSlot: 0,
      shared: options.shared ?? {},
    },
    { post: (message) => messages.push(message), onMessage: (handler) => handlers.push(handler) },
  );
  return {
    control,
    outputPath,
    messages,
    done,
    events: (event) =>
      messages.filter(
        (m): m is Extract<WorkerMessage, { type: 'event' }> => m.type === 'event' && (event === undefined || m.event === event),
      ),
    outcome: () =>
      messages.find((m): m is Extract<WorkerMessage, { type: 'stopped' | 'failed' }> => m.type === 'stopped' || m.type === 'failed'),
    send: (message) => handlers.forEach((handler) => handler(message)),
    stop: async (timeoutMs = 2000) => {
      control.requestStop();
      await withDeadline(`${name} to stop`, done, timeoutMs);
    },
  };
}
