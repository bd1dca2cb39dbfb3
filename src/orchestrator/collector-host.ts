// Runs one collector definition with everything the contract promises it: its JSONL writer, its
// counters, the stop signal, events and logs as messages. It does not care whether it runs in a
// worker (collector-worker.ts) or in a test's own thread, which is what makes collectors
// testable in-thread.
import type {
  CollectorContext,
  CollectorCounts,
  CollectorDefinition,
  CollectorLog,
  LogLevel,
} from '../collectors/contract';
import type { OptionSchema, OptionsOf } from '../config/option-spec';
import { ControlBlock, STOP_STATE } from '../control/control-block';
import { serializeError } from '../errors';
import { JsonlWriter } from '../sink/jsonl-writer';
import { toJson } from '../sink/json-line';
import { MANIFEST_INTERVAL_MS } from './manifest-interval';
import type { MainMessage, WorkerMessage, WorkerSetup } from './thread-messages';

// Counts reach the orchestrator at most as often as the manifest, their one reader while the
// episode runs, is written, and only when they change: each message wakes the main thread, and
// an idle collector is never woken to report nothing. A worker that dies abruptly costs the
// manifest no more of its counts than a crash of the process would (the rows themselves are on
// disk, and a restart recounts them there).
const COUNTS_INTERVAL_MS = MANIFEST_INTERVAL_MS;

export interface HostChannel {
  post(message: WorkerMessage): void;
  /** Registers the receiver of the orchestrator's messages. */
  onMessage(handler: (message: MainMessage) => void): void;
}

/** Runs `definition` to its end; every outcome, a throw included, ends as one posted message. */
export async function hostCollector(
  definition: CollectorDefinition,
  setup: WorkerSetup,
  channel: HostChannel,
): Promise<void> {
  const control = ControlBlock.attach(setup.controlBuffer);
  const writer = new JsonlWriter(setup.outputPath, { flushMs: setup.flushMs });
  const counts: CollectorCounts = { rows: 0, bytes: 0, dropped: {}, stats: Object.fromEntries((definition.stats ?? []).map((name) => [name, 0])) };
  const snapshot = (): CollectorCounts => ({
    rows: counts.rows,
    bytes: writer.bytesWritten,
    dropped: { ...counts.dropped },
    stats: { ...counts.stats },
  });
  let countsPostedAtMs = performance.now();
  const countsChanged = (): void => {
    const nowMs = performance.now();
    if (nowMs - countsPostedAtMs < COUNTS_INTERVAL_MS) return;
    countsPostedAtMs = nowMs;
    channel.post({ type: 'counts', counts: snapshot() });
  };

  const stopController = new AbortController();
  const finished = new AbortController();
  void control.waitForChange(STOP_STATE.running, finished.signal).then((state) => {
    if (state !== null) stopController.abort();
  });

  const ctx = createContext(definition, setup, channel, control, writer, counts, countsChanged, stopController.signal);
  channel.post({ type: 'started', tMonoNs: control.monoNs() });
  try {
    const outcome = await definition.run(ctx);
    writer.close();
    channel.post({ type: 'stopped', reason: outcome.reason, counts: snapshot() });
  } catch (err) {
    writer.close();
    channel.post({ type: 'failed', error: serializeError(err, 'VMTEL_COLLECTOR_FAILED'), counts: snapshot() });
  } finally {
    finished.abort();
  }
}

function createContext(
  definition: CollectorDefinition,
  setup: WorkerSetup,
  channel: HostChannel,
  control: ControlBlock,
  writer: JsonlWriter,
  counts: CollectorCounts,
  countsChanged: () => void,
  stopSignal: AbortSignal,
): CollectorContext<OptionsOf<OptionSchema>> {
  // The constant head of every row, built once: source and deployability are the host's.
  const rowTag = `,"source":${JSON.stringify(setup.name)},"available_in_deployment":${setup.availableInDeployment}`;
  const shared = new Map<string, unknown>(Object.entries(setup.shared));
  const subscribers = new Map<string, Array<(value: unknown) => void>>();
  channel.onMessage((message) => {
    switch (message.type) {
      case 'shared':
        shared.set(message.topic, message.value);
        for (const handler of subscribers.get(message.topic) ?? []) handler(message.value);
        break;
      default:
        throw new Error(`unknown message from the orchestrator: ${JSON.stringify(message)}`);
    }
  });

  return {
    name: setup.name,
    kind: definition.kind,
    // Validated against the kind's schema by the config loader before the worker started.
    options: setup.options as OptionsOf<OptionSchema>,
    runDir: setup.runDir,
    availableInDeployment: setup.availableInDeployment,
    control,
    stopSignal,
    rows: {
      write(fields, tMonoNs = control.monoNs()) {
        const body = toJson(fields);
        const head = `{"t_mono_ns":${tMonoNs},"t_wall_ns":${control.wallNsAt(tMonoNs)}${rowTag}`;
        writer.write(body.length > 2 ? `${head},${body.slice(1)}\n` : `${head}}\n`);
        counts.rows += 1;
        countsChanged();
      },
      writeLines(lines, count) {
        writer.write(lines);
        counts.rows += count;
        countsChanged();
      },
    },
    counters: {
      drop(reason, n = 1) {
        counts.dropped[reason] = (counts.dropped[reason] ?? 0) + n;
        countsChanged();
      },
      set(name, value) {
        counts.stats[name] = value;
        countsChanged();
      },
      add(name, n = 1) {
        counts.stats[name] = (counts.stats[name] ?? 0) + n;
        countsChanged();
      },
    },
    log: createLog(channel),
    emit(event, fields = {}) {
      channel.post({ type: 'event', tMonoNs: control.monoNs(), event, fields });
    },
    endEpisode(reason) {
      channel.post({ type: 'end_episode', reason });
    },
    publish(topic, value) {
      shared.set(topic, value);
      channel.post({ type: 'publish', topic, value });
    },
    subscribe(topic, handler) {
      subscribers.set(topic, [...(subscribers.get(topic) ?? []), handler]);
      if (shared.has(topic)) handler(shared.get(topic));
    },
  };
}

// Every level crosses to the orchestrator: vmtel.log keeps everything and only the terminal
// filters by log_level. Collectors log per event, never per row, so this costs little.
function createLog(channel: HostChannel): CollectorLog {
  const at =
    (level: LogLevel) =>
    (message: string, fields: Record<string, unknown> = {}): void =>
      channel.post({ type: 'log', level, message, fields });
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}
