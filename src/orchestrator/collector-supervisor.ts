// Keeps one collector running for the episode: starts its worker, turns the worker's messages
// into events and logs, restarts it with exponential backoff when it fails (the other collectors
// never notice), and gives up when the restart budget is spent. A collector that finishes on its
// own is not restarted. A worker that exits without saying why is a failure with its own code, and
// so is one that runs out of its heap or whose thread stops turning its event loop (its heartbeat
// in the control block goes stale): it is terminated and restarted like any failure. A worker that
// died without its last counts leaves its rows counted from its file.
import type { Worker } from 'node:worker_threads';
import type { CollectorCounts } from '../collectors/contract';
import type { CollectorEntry } from '../config/collector-entry';
import type { EpisodeConfig } from '../config/episode-config';
import type { ControlBlock } from '../control/control-block';
import type { SerializedError } from '../errors';
import type { Logger } from '../log/logger';
import { countsWithFile, emptyCounts, mergeCounts } from './collector-counts';
import { LiveCounts } from '../live/live-counts';
import type { EventLog } from './event-log';
import { workerError, workerFailure } from './worker-failures';
import type { MainMessage, WorkerMessage } from './thread-messages';
import { spawnCollectorWorker } from './worker-spawn';

// A worker that said it is done but keeps its thread alive (a socket left open) is a collector
// bug; it gets this long to exit before it is terminated, so it cannot hold the episode open.
const EXIT_AFTER_DONE_MS = 1000;

// A worker that has not beaten yet is still booting: loading a worker and its collector's module
// takes well under a second, but several on a host whose every core is busy.
const BOOT_ALLOWANCE_MS = 10_000;

export type CollectorStatus = 'running' | 'restart_pending' | 'finished' | 'gave_up' | 'stopped';

export interface SupervisorHooks {
  control: ControlBlock;
  events: EventLog;
  logger: Logger;
  /** Latest value of every published topic, handed to (re)started workers. */
  shared: Map<string, unknown>;
  publish(from: string, topic: string, value: unknown): void;
  endEpisode(from: string, reason: string): void;
  /** Called each time a worker of this collector has started it. */
  started(supervisor: CollectorSupervisor): void;
  /** Called once the collector is done for good: finished, gave up, or stopped with the episode. */
  settled(supervisor: CollectorSupervisor): void;
}

export class CollectorSupervisor {
  readonly config: CollectorEntry;
  status: CollectorStatus = 'running';
  /** Restarts of this collector over the whole episode (orchestrator restarts included). */
  restarts: number;
  lastReason: string | null = null;
  /** Rows, last row and drops as the worker writes them, for `vmtel status`. */
  readonly live: LiveCounts;
  private readonly episode: EpisodeConfig;
  private readonly hooks: SupervisorHooks;
  private worker: Worker | null = null;
  private workerStartedAtMs = 0;
  private workerStartedMonoNs = 0n;
  private workerSaidDone = false;
  // Set when the current worker is ended without its final counts (terminated, or dead).
  private countsLost = false;
  private attemptsSinceCalm = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  private exited: Promise<void> = Promise.resolve();
  /** Counts of every earlier worker of this collector, and of the current one so far. */
  private earlierCounts: CollectorCounts;
  private currentCounts: CollectorCounts = emptyCounts();

  constructor(
    config: CollectorEntry,
    episode: EpisodeConfig,
    hooks: SupervisorHooks,
    earlier: { counts: CollectorCounts; restarts: number },
    private readonly heartbeatSlot: number,
  ) {
    this.config = config;
    this.episode = episode;
    this.hooks = hooks;
    this.earlierCounts = earlier.counts;
    this.restarts = earlier.restarts;
    const droppedBefore = Object.values(earlier.counts.dropped).reduce((sum, n) => sum + n, 0);
    this.live = LiveCounts.create({ rows: earlier.counts.rows, dropped: droppedBefore });
  }

  counts(): CollectorCounts {
    return mergeCounts(this.earlierCounts, this.currentCounts);
  }

  start(): void {
    const { config, episode, hooks } = this;
    this.status = 'running';
    this.workerSaidDone = false;
    this.countsLost = false;
    this.workerStartedAtMs = performance.now();
    this.workerStartedMonoNs = hooks.control.monoNs();
    const worker = spawnCollectorWorker({
      entry: config,
      runDir: episode.runDir,
      controlBuffer: hooks.control.buffer,
      heartbeatSlot: this.heartbeatSlot,
      liveBuffer: this.live.buffer,
      shared: Object.fromEntries(hooks.shared),
    });
    this.worker = worker;
    worker.on('message', (message: WorkerMessage) => this.onMessage(message));
    worker.on('error', (err: Error) => this.onFailure(workerError(err, config.max_heap_mb)));
    this.exited = new Promise((resolve) => {
      worker.once('exit', (exitCode) => {
        this.onExit(worker, exitCode);
        resolve();
      });
    });
  }

  send(message: MainMessage): void {
    this.worker?.postMessage(message);
  }

  /** After the stop flag is raised: no more restarts; resolves when the worker has exited. */
  async stopped(): Promise<void> {
    if (this.restartTimer !== null) {
      clearTimeout(this.restartTimer);
      this.restartTimer = null;
      this.settle('stopped');
    }
    await this.exited;
  }

  /** Ends a worker that outlived the stop grace; the loss of what it held is an event. */
  async terminate(graceMs: number): Promise<void> {
    const worker = this.worker;
    if (worker === null) return;
    this.hooks.events.record(this.config.name, 'collector_unresponsive', {
      code: 'VMTEL_WORKER_UNRESPONSIVE',
      grace_ms: graceMs,
    });
    this.hooks.logger.warn(`collector did not stop within ${graceMs} ms; terminating it`, { source: this.config.name });
    this.workerSaidDone = true;
    this.countsLost = true;
    this.settle('stopped');
    await worker.terminate();
  }

  /**
   * While the episode runs: ends a worker whose heartbeat is older than `afterMs` (its thread is
   * stuck, in a busy loop say) as a failure, so it restarts. Only time since `watchedSinceNs`, when
   * the caller's own thread was last seen running without a stall, counts: after a stop of the
   * whole process every heartbeat is old.
   */
  checkHeartbeat(afterMs: number, watchedSinceNs: bigint): void {
    const worker = this.worker;
    if (worker === null || this.status !== 'running' || this.workerSaidDone) return;
    const { control, events, logger } = this.hooks;
    const lastBeatNs = control.lastBeatMonoNs(this.heartbeatSlot) ?? 0n;
    const sinceNs = [lastBeatNs, this.workerStartedMonoNs, watchedSinceNs].reduce((a, b) => (a > b ? a : b));
    const blockedMs = Number(control.monoNs() - sinceNs) / 1e6;
    if (blockedMs < afterMs + (lastBeatNs > this.workerStartedMonoNs ? 0 : BOOT_ALLOWANCE_MS)) return;
    const blockedS = Math.round(blockedMs) / 1000;
    events.record(this.config.name, 'collector_unresponsive', { code: 'VMTEL_WORKER_BLOCKED', blocked_s: blockedS, after_ms: afterMs });
    logger.warn(`collector thread blocked for ${blockedS} s; terminating it`, { source: this.config.name });
    this.onFailure(workerFailure('VMTEL_WORKER_BLOCKED', `collector thread did not turn its event loop for ${blockedS} s (unresponsive_after_ms ${afterMs})`));
    this.countsLost = true;
    void worker.terminate();
  }

  private onMessage(message: WorkerMessage): void {
    const { hooks, config } = this;
    switch (message.type) {
      case 'started':
        hooks.events.record(
          config.name,
          'collector_started',
          { kind: config.kind, output: config.output, attempt: this.attemptsSinceCalm, thread_id: this.worker?.threadId },
          message.tMonoNs,
        );
        hooks.started(this);
        break;
      case 'event':
        hooks.events.record(config.name, message.event, message.fields, message.tMonoNs);
        break;
      case 'log':
        hooks.logger.log({ level: message.level, message: message.message, ...message.fields, source: config.name });
        break;
      case 'counts':
        this.currentCounts = message.counts;
        break;
      case 'publish':
        hooks.publish(config.name, message.topic, message.value);
        break;
      case 'end_episode':
        hooks.endEpisode(config.name, message.reason);
        break;
      case 'stopped':
        this.currentCounts = message.counts;
        this.workerSaidDone = true;
        this.lastReason = message.reason;
        hooks.events.record(config.name, 'collector_stopped', { reason: message.reason, ...countFields(this.counts()) });
        this.settle(hooks.control.isStopping() ? 'stopped' : 'finished');
        this.terminateIfLingering();
        break;
      case 'failed':
        this.currentCounts = message.counts;
        this.workerSaidDone = true;
        this.onFailure(message.error);
        this.terminateIfLingering();
        break;
      default:
        throw new Error(`unknown message from collector ${config.name}: ${JSON.stringify(message satisfies never)}`);
    }
  }

  private onExit(worker: Worker, exitCode: number): void {
    if (this.worker !== worker) return;
    this.worker = null;
    // A worker that died took the counts it had not posted yet (they go every few seconds); its
    // thread is gone, so its file is final and its rows and bytes are counted there.
    this.earlierCounts = this.workerSaidDone && !this.countsLost ? this.counts() : countsWithFile(this.counts(), this.config.output);
    this.currentCounts = emptyCounts();
    if (!this.workerSaidDone) {
      this.onFailure(workerFailure('VMTEL_WORKER_EXITED', `collector worker exited with code ${exitCode} without saying it stopped or failed`));
    }
    // Unless the failure just recorded has scheduled it already.
    if (this.status === 'restart_pending' && this.restartTimer === null) this.scheduleRestart();
  }

  // A failure is recorded once; the restart waits for the worker's exit so two workers of one
  // collector never write the same file at once.
  private onFailure(error: SerializedError): void {
    if (this.status !== 'running') return;
    const { hooks, config } = this;
    this.lastReason = `${error.code}: ${error.message}`;
    hooks.events.record(config.name, 'collector_failed', { code: error.code, message: error.message, stack: error.stack });
    hooks.logger.error(`collector failed: ${error.message} [${error.code}]`, { source: config.name, stack: error.stack });
    if (hooks.control.isStopping()) {
      this.settle('stopped');
      return;
    }
    const ranMs = performance.now() - this.workerStartedAtMs;
    if (ranMs >= this.episode.restart.resetAfterMs) this.attemptsSinceCalm = 0;
    if (this.attemptsSinceCalm >= this.episode.restart.maxRestarts) {
      hooks.events.record(config.name, 'collector_gave_up', { restarts: this.attemptsSinceCalm, last_error: this.lastReason });
      this.settle('gave_up');
      return;
    }
    this.status = 'restart_pending';
    if (this.worker === null) this.scheduleRestart();
  }

  private scheduleRestart(): void {
    const { restart } = this.episode;
    this.attemptsSinceCalm += 1;
    this.restarts += 1;
    const delayMs = Math.min(restart.initialDelayMs * 2 ** (this.attemptsSinceCalm - 1), restart.maxDelayMs);
    this.hooks.events.record(this.config.name, 'collector_restarted', { attempt: this.attemptsSinceCalm, delay_ms: delayMs });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (!this.hooks.control.isStopping()) this.start();
      else this.settle('stopped');
    }, delayMs);
  }

  private terminateIfLingering(): void {
    const worker = this.worker;
    if (worker === null) return;
    setTimeout(() => {
      if (this.worker !== worker) return;
      this.hooks.logger.warn('collector finished but its thread did not exit; terminating it', { source: this.config.name });
      void worker.terminate();
    }, EXIT_AFTER_DONE_MS).unref();
  }

  private settle(status: Exclude<CollectorStatus, 'running' | 'restart_pending'>): void {
    if (this.status !== 'running' && this.status !== 'restart_pending') return;
    this.status = status;
    this.hooks.settled(this);
  }
}

/** The count fields of collector_stopped and the manifest. */
export function countFields(counts: CollectorCounts): Record<string, unknown> {
  return { rows: counts.rows, bytes: counts.bytes, dropped: counts.dropped, stats: counts.stats };
}
