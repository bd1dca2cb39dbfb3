// The collector runtime: runs one collector definition with everything the contract promises it
// (the `host` collector is a kind like any other; the keys of a row's head are the runtime's,
// src/sink/row-format.ts): its JSONL writer, its
// counters, the stop signal, events and logs as messages within the collector's budget, and the
// thread's heartbeat (a late one is vmtel_stalled). It does not care whether it runs in a
// worker (collector-worker.ts) or in a test's own thread, which is what makes collectors
// testable in-thread.
import type {
  BuiltInContext,
  BuiltInDefinition,
  CollectorCounts,
  CollectorDefinition,
  CollectorLog,
  LogLevel,
} from '../collectors/contract';
import { moduleContext } from '../collectors/contract';
import type { OptionSchema, OptionsOf } from '../config/option-spec';
import { ControlBlock, episodeClock, STOP_STATE } from '../control/control-block';
import { loopPulse, type LoopStall } from '../control/loop-pulse';
import { serializeError } from '../errors';
import { LiveCounts } from '../live/live-counts';
import { JsonlWriter } from '../sink/jsonl-writer';
import { RowFormat } from '../sink/row-format';
import { EventBudget, SUMMARY_MS, type Suppressed } from './event-budget';
import { WRITE_FAILED } from '../sink/write-faults';
import { MANIFEST_INTERVAL_MS } from './manifest-interval';
import { PublishPacer } from './publish-pacer';
import { TopicBoard } from '../collectors/topic-board';
import type { MainMessage, WorkerMessage, WorkerSetup } from './thread-messages';
import { reportWriteFaults } from './write-fault-events';

// Counts reach the orchestrator at most as often as the manifest, their one reader while the
// episode runs, is written, and only when they change: each message wakes the main thread, and
// an idle collector is never woken to report nothing. A worker that dies abruptly costs the
// manifest no more of its counts than a crash of the process would (the rows themselves are on
// disk, and a restart recounts them there).
const COUNTS_INTERVAL_MS = MANIFEST_INTERVAL_MS;

export interface RuntimeChannel {
  post(message: WorkerMessage): void;
  /** Registers the receiver of the orchestrator's messages. */
  onMessage(handler: (message: MainMessage) => void): void;
}

/**
 * A collector to run. Where it came from decides what it gets: a built-in kind also gets the hot
 * path of its rows, a user's `module:` only rows whose head the runtime builds.
 */
export type Runnable = { builtIn: BuiltInDefinition } | { module: CollectorDefinition };

/** Runs the collector to its end; every outcome, a throw included, ends as one posted message. */
export async function runCollector(
  runnable: Runnable,
  setup: WorkerSetup,
  channel: RuntimeChannel,
): Promise<void> {
  const definition = 'builtIn' in runnable ? runnable.builtIn : runnable.module;
  const control = ControlBlock.attach(setup.controlBuffer);
  const counts: CollectorCounts = { rows: 0, bytes: 0, dropped: {}, stats: Object.fromEntries((definition.stats ?? []).map((name) => [name, 0])) };
  // A collector run outside an episode (a test's own thread) keeps its live counts to itself.
  const live = setup.liveBuffer === undefined ? LiveCounts.create() : LiveCounts.attach(setup.liveBuffer);
  const { entry } = setup;
  const writer = new JsonlWriter(entry.output, {
    flushMs: entry.flush_ms,
    onFault: reportWriteFaults({
      event: (event, fields) => channel.post({ type: 'event', tMonoNs: control.monoNs(), event, fields }),
      log: (level, message, fields) => channel.post({ type: 'log', level, message, fields }),
      dropped(rows) {
        counts.rows -= rows;
        counts.dropped[WRITE_FAILED] = (counts.dropped[WRITE_FAILED] ?? 0) + rows;
        live.lost(rows);
      },
      endEpisode: (reason) => channel.post({ type: 'end_episode', reason }),
    }),
  });
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

  const budget = new EventBudget((suppressed) => reportSuppressed(channel, control, counts, suppressed));
  const leavePulse = loopPulse.join({
    beat: () => control.beat(setup.heartbeatSlot),
    stalled: (stall) => {
      if (budget.allowEvent('vmtel_stalled')) reportStall(channel, control, stall);
    },
  });
  const publishes = new PublishPacer((topic, value) => channel.post({ type: 'publish', topic, value }));
  const paced = { budget, publishes };
  const report = (): void => channel.post({ type: 'counts', counts: snapshot() });
  const ctx = createContext(definition, setup, channel, control, writer, { counts, live, changed: countsChanged, report }, stopController.signal, paced);
  // What the budgets held back is sent (or counted) before the collector's last word.
  const flushPaced = (): void => {
    budget.flush();
    publishes.flush();
    if (publishes.coalesced > 0) counts.stats['publishes_coalesced'] = publishes.coalesced;
  };
  channel.post({ type: 'started', tMonoNs: control.monoNs() });
  try {
    const outcome = await ('builtIn' in runnable ? runnable.builtIn.run(ctx) : runnable.module.run(moduleContext(ctx)));
    writer.close();
    flushPaced();
    channel.post({ type: 'stopped', reason: outcome.reason, counts: snapshot() });
  } catch (err) {
    writer.close();
    flushPaced();
    channel.post({ type: 'failed', error: serializeError(err, 'VMTEL_COLLECTOR_FAILED'), counts: snapshot() });
  } finally {
    leavePulse();
    finished.abort();
  }
}

// One summary of what the budget held back, counted in the collector's figures too.
function reportSuppressed(channel: RuntimeChannel, control: ControlBlock, counts: CollectorCounts, suppressed: Suppressed): void {
  const events = suppressed.total - suppressed.log_lines;
  if (events > 0) counts.stats['events_suppressed'] = (counts.stats['events_suppressed'] ?? 0) + events;
  if (suppressed.log_lines > 0) counts.stats['log_lines_suppressed'] = (counts.stats['log_lines_suppressed'] ?? 0) + suppressed.log_lines;
  channel.post({ type: 'event', tMonoNs: control.monoNs(), event: 'events_suppressed', fields: { ...suppressed, window_ms: SUMMARY_MS } });
}

// Stamped when the thread ran again: whatever its collector saw missing over the span is vmtel's.
function reportStall(channel: RuntimeChannel, control: ControlBlock, stall: LoopStall): void {
  const fields = { stalled_s: Number(stall.endNs - stall.startNs) / 1e9, since_t_mono_ns: stall.startNs - control.originNs };
  channel.post({ type: 'event', tMonoNs: stall.endNs - control.originNs, event: 'vmtel_stalled', fields });
}

function createContext(
  definition: CollectorDefinition,
  setup: WorkerSetup,
  channel: RuntimeChannel,
  control: ControlBlock,
  writer: JsonlWriter,
  { counts, live, changed: countsChanged, report }: { counts: CollectorCounts; live: LiveCounts; changed: () => void; report: () => void },
  stopSignal: AbortSignal,
  { budget, publishes }: { budget: EventBudget; publishes: PublishPacer },
): BuiltInContext<OptionsOf<OptionSchema>> {
  const { entry } = setup;
  const format = new RowFormat(entry.name, entry.available_in_deployment);
  const log = createLog(channel, budget);
  const topics = new TopicBoard(setup.shared);
  channel.onMessage((message) => {
    switch (message.type) {
      case 'shared':
        topics.deliver(message.topic, message.value);
        break;
      case 'report_counts':
        report();
        break;
      default:
        throw new Error(`unknown message from the orchestrator: ${JSON.stringify(message)}`);
    }
  });

  return {
    name: entry.name,
    kind: definition.kind,
    // Validated against the kind's schema by the config loader before the worker started.
    options: entry.options as OptionsOf<OptionSchema>,
    runDir: setup.runDir,
    clock: episodeClock(control),
    stopSignal,
    rows: {
      format,
      write(fields, tMonoNs = control.monoNs()) {
        writer.write(format.line(format.head(tMonoNs, control.wallNsAt(tMonoNs)), fields));
        counts.rows += 1;
        live.wrote(1, tMonoNs);
        countsChanged();
      },
      writeHeaded(lines, count) {
        writer.write(lines, count);
        counts.rows += count;
        // The lines carry their own stamps; the batch's hand-over time stands for the last one.
        live.wrote(count, control.monoNs());
        countsChanged();
      },
    },
    counters: {
      drop(reason, n = 1) {
        counts.dropped[reason] = (counts.dropped[reason] ?? 0) + n;
        live.dropped(n);
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
    log,
    emit(event, fields = {}, budgetKey = event) {
      if (budget.allowEvent(budgetKey)) channel.post({ type: 'event', tMonoNs: control.monoNs(), event, fields });
    },
    endEpisode(reason) {
      channel.post({ type: 'end_episode', reason });
    },
    publish(topic, value) {
      topics.keep(topic, value);
      publishes.publish(topic.name, value);
    },
    subscribe: (topic, handler) => topics.subscribe(topic, handler, log.warn),
  };
}

// Every level crosses to the orchestrator: vmtel.log keeps everything and only the terminal
// filters by log_level. Collectors log per event, never per row, and the budget bounds the rest.
function createLog(channel: RuntimeChannel, budget: EventBudget): CollectorLog {
  const at =
    (level: LogLevel) =>
    (message: string, fields: Record<string, unknown> = {}): void => {
      if (budget.allowLog()) channel.post({ type: 'log', level, message, fields });
    };
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}
