// `vmtel run`'s side of the shipper: one more supervised worker beside the collectors. It starts
// the worker, turns its events into events.jsonl lines (source "ship"), restarts it with backoff
// when it fails (it resumes from the checkpoint; recording never notices), and at the stop drives
// the drain: the files to their end, then the final manifest, within drain_timeout_s in all.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { serializeError, type SerializedError } from '../errors';
import type { Logger } from '../log/logger';
import type { EventLog } from '../orchestrator/event-log';
import type { FromShipper, ShipperSetup, ToShipper } from './shipper-messages';

const WORKER_ENTRY = join(__dirname, 'shipper-worker.js');
const SOURCE = 'ship';
// The shipper never gives up (the files wait for it); restarts back off from 1 s to a minute.
const RESTART_INITIAL_MS = 1000;
const RESTART_MAX_MS = 60_000;

/** What episode.json says of the shipping once the episode has stopped. */
export interface ShipRecord {
  stream: string;
  subject_prefix: string;
  /** Every append-only file acknowledged to its end within drain_timeout_s. */
  drained: boolean;
  /** Bytes not acknowledged at the end of the drain, by file; `vmtel ship --run-dir` sends them. */
  unshipped_bytes: Record<string, number>;
}

export class ShipperSupervisor {
  private readonly setup: ShipperSetup;
  private readonly events: EventLog;
  private readonly logger: Logger;
  private worker: Worker | null = null;
  private eventsOpen = true;
  private stopping = false;
  private restartDelayMs = RESTART_INITIAL_MS;
  private restartTimer: NodeJS.Timeout | null = null;
  private phase: ToShipper | null = null;
  private readonly waiting = new Map<'drained' | 'finished', (complete: boolean) => void>();

  private readonly remainder: () => Record<string, number>;

  constructor(setup: ShipperSetup, events: EventLog, logger: Logger, remainder: () => Record<string, number>) {
    this.setup = setup;
    this.remainder = remainder;
    this.events = events;
    this.logger = logger;
  }

  get started(): boolean {
    return this.worker !== null || this.restartTimer !== null;
  }

  start(): void {
    const worker = new Worker(WORKER_ENTRY, { name: 'vmtel:ship', workerData: this.setup });
    this.worker = worker;
    worker.on('message', (message: FromShipper) => this.onMessage(message));
    worker.on('error', (err: Error) => this.onFailure(serializeError(err, 'VMTEL_SHIPPER_FAILED')));
    worker.once('exit', (exitCode) => {
      if (this.worker !== worker) return;
      this.worker = null;
      if (!this.stopping) this.onFailure({ name: 'VmtelError', code: 'VMTEL_SHIPPER_FAILED', message: `shipper exited with code ${exitCode}`, stack: '' });
      for (const resolve of this.waiting.values()) resolve(false);
    });
    // A worker restarted during the drain picks the drain up where its predecessor left it.
    if (this.phase !== null) worker.postMessage(this.phase);
  }

  /**
   * Called once events.jsonl is closed: drains the files, lets `writeManifest` record the result,
   * ships that manifest, and ends the worker; never takes longer than `drainTimeoutMs`.
   */
  async stop(drainTimeoutMs: number, writeManifest: (record: ShipRecord) => void): Promise<ShipRecord> {
    this.eventsOpen = false;
    const deadlineMs = Date.now() + drainTimeoutMs;
    if (!this.started) this.start();
    const drained = await this.request({ type: 'drain', deadlineMs }, 'drained', deadlineMs);
    const unshipped = this.remainder();
    const record: ShipRecord = {
      stream: this.setup.ship.stream,
      subject_prefix: this.setup.ship.subjectPrefix,
      drained: drained && Object.keys(unshipped).length === 0,
      unshipped_bytes: unshipped,
    };
    writeManifest(record);
    await this.request({ type: 'finish', deadlineMs }, 'finished', deadlineMs);
    this.stopping = true;
    if (this.restartTimer !== null) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const worker = this.worker;
    this.worker = null;
    if (worker !== null) await worker.terminate();
    return record;
  }

  private request(message: ToShipper, answer: 'drained' | 'finished', deadlineMs: number): Promise<boolean> {
    this.phase = message;
    this.worker?.postMessage(message);
    return new Promise((resolve) => {
      // The worker keeps to the deadline itself; this is the backstop for a worker that does not
      // (a publish in flight), with a second more for its answer to arrive.
      const timer = setTimeout(() => resolve(false), Math.max(0, deadlineMs - Date.now()) + 1000);
      this.waiting.set(answer, (complete) => {
        clearTimeout(timer);
        this.waiting.delete(answer);
        resolve(complete);
      });
    });
  }

  private onMessage(message: FromShipper): void {
    switch (message.type) {
      case 'event':
        if (this.eventsOpen) this.events.record(SOURCE, message.event, message.fields);
        break;
      case 'log':
        this.logger.log({ level: message.level, message: message.message, source: SOURCE });
        break;
      case 'drained':
      case 'finished':
        this.restartDelayMs = RESTART_INITIAL_MS;
        this.waiting.get(message.type)?.(message.complete);
        break;
      case 'failed':
        this.onFailure(message.error);
        break;
      default:
        throw new Error(`unknown message from the shipper: ${JSON.stringify(message satisfies never)}`);
    }
  }

  private onFailure(error: SerializedError): void {
    if (this.stopping) return;
    if (this.eventsOpen) this.events.record(SOURCE, 'shipper_failed', { code: error.code, message: error.message });
    this.logger.error(`shipper failed, restarting it in ${this.restartDelayMs} ms: ${error.message} [${error.code}]`, { source: SOURCE, stack: error.stack });
    const worker = this.worker;
    this.worker = null;
    if (worker !== null) void worker.terminate();
    if (this.restartTimer !== null) return;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (!this.stopping) this.start();
    }, this.restartDelayMs);
    this.restartDelayMs = Math.min(this.restartDelayMs * 2, RESTART_MAX_MS);
  }
}
