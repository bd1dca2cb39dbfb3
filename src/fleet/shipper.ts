// Ships the files of one run dir to the stream: every append-only file as chunks of whole lines
// from its checkpointed offset, every rewritten file (episode.json) as a snapshot when its bytes
// changed. The files themselves are the backlog: nothing is buffered in memory beyond the chunk
// in flight, so an outage of any length costs no memory and never touches the recording. It
// backs off while the servers are away and says so once (ship_stalled), and once when they are
// back (ship_resumed).
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ShipConfig } from '../config/ship-config';
import { serializeError } from '../errors';
import { readChunk } from './chunk-reader';
import type { ChunkMeta } from './chunk-message';
import { natsFailure, openNats, type NatsSession } from './nats-client';
import { publishChunk } from './publish-chunk';
import { readCheckpoint, START_POINT, writeCheckpoint, type FilePoint, type ShipCheckpoint } from './ship-checkpoint';
import { ensureStream } from './stream-setup';
import { subjectOf, type FileAddress } from './subject-token';

// New lines are looked for this often: well under the 1 s lag the fleet aims at, and a stat per
// file per look costs nothing beside the collectors.
const POLL_MS = 100;
// Backoff while the servers are away: first retry soon (a leader election takes about a second),
// then no more often than every 5 s, so a long outage costs nothing.
const INITIAL_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 5000;
// The checkpoint is rewritten (with an fsync) at most this often while chunks stream out; a
// lagging checkpoint only means a resync from the stream after a crash (see ship-checkpoint.ts).
const CHECKPOINT_EVERY_MS = 250;
// Run-dir files are opened without following a link: a link planted in the run dir by another
// local user must not make vmtel ship a file it points at.
const READ_NO_FOLLOW = constants.O_RDONLY | constants.O_NOFOLLOW;
// NATS's default max_payload, used until the server says its own.
const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;
// A lag this long is told as a ship_lag event, at most once per LAG_EVENT_EVERY_MS.
const LAG_EVENT_AFTER_MS = 5000;
const LAG_EVENT_EVERY_MS = 30_000;

export interface ShipperSetup {
  runDir: string;
  vm: string;
  episode: string;
  ship: ShipConfig;
  /** Append-only files, by name in the run dir. */
  appendFiles: string[];
  /** Files rewritten whole, by name in the run dir. */
  snapshotFiles: string[];
}

export interface ShipperReport {
  event(event: string, fields: Record<string, unknown>): void;
  log(level: 'error' | 'warn' | 'info' | 'debug', message: string): void;
}

type PassResult = 'idle' | 'progress' | 'failed';

export class Shipper {
  private readonly setup: ShipperSetup;
  private readonly report: ShipperReport;
  private readonly checkpoint: ShipCheckpoint;
  private session: NatsSession | null = null;
  private readonly fds = new Map<string, number>();
  private stalledSinceMs: number | null = null;
  private backoffMs = INITIAL_BACKOFF_MS;
  private checkpointDirty = false;
  private checkpointSavedMs = 0;
  private laggingSinceMs: number | null = null;
  private lagToldMs = 0;
  private wake: () => void = () => undefined;

  constructor(setup: ShipperSetup, report: ShipperReport) {
    this.setup = setup;
    this.report = report;
    this.checkpoint = readCheckpoint(setup.runDir, setup.ship.stream, setup.ship.subjectPrefix);
  }

  /** Ships as files grow, snapshots included, until `until` settles. */
  async runLive(until: Promise<void>): Promise<void> {
    let stop = false;
    void until.then(() => {
      stop = true;
      this.wake();
    });
    while (!stop) {
      const result = await this.pass(true);
      if (result !== 'progress' && !stop) await this.sleep(result === 'idle' ? POLL_MS : this.nextBackoffMs());
    }
  }

  /** Ships everything there is now; true once all of it is acknowledged, false at the deadline. */
  async shipAll(deadlineMs: number, withSnapshots: boolean): Promise<boolean> {
    for (;;) {
      const result = await this.pass(withSnapshots);
      if (result === 'idle') return true;
      const leftMs = deadlineMs - Date.now();
      if (leftMs <= 0) return false;
      if (result === 'failed') await this.sleep(Math.min(leftMs, this.nextBackoffMs()));
    }
  }

  /** Bytes of the append-only files not yet acknowledged, by file (files with none left out). */
  unshipped(): Record<string, number> {
    const left: Record<string, number> = {};
    for (const file of this.setup.appendFiles) {
      const size = this.sizeOf(file);
      const bytes = size - this.pointOf(file).offset;
      if (bytes > 0) left[file] = bytes;
    }
    return left;
  }

  async close(): Promise<void> {
    this.saveCheckpoint();
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
    const session = this.session;
    this.session = null;
    if (session !== null) await session.nc.close().catch(() => undefined);
  }

  private async pass(withSnapshots: boolean): Promise<PassResult> {
    let progressed = false;
    try {
      const session = await this.ensureSession();
      for (const file of this.setup.appendFiles) {
        while (await this.shipNextChunk(session, file)) progressed = true;
      }
      if (withSnapshots) for (const file of this.setup.snapshotFiles) if (await this.shipSnapshot(session, file)) progressed = true;
    } catch (err) {
      this.noteStalled(err);
      return 'failed';
    }
    this.noteResumed();
    if (!progressed || Date.now() - this.checkpointSavedMs >= CHECKPOINT_EVERY_MS) this.saveCheckpoint();
    this.noteLag();
    return progressed ? 'progress' : 'idle';
  }

  private async ensureSession(): Promise<NatsSession> {
    if (this.session !== null && !this.session.nc.isClosed()) return this.session;
    const { ship, vm, episode } = this.setup;
    const session = await openNats({ servers: ship.servers, auth: ship.auth, tls: ship.tls, clientName: `vmtel ${vm}/${episode}` });
    try {
      if (await ensureStream(session.jsm, ship)) this.report.event('ship_stream_created', { stream: ship.stream, replicas: ship.replicas });
    } catch (err) {
      await session.nc.close().catch(() => undefined);
      throw natsFailure(err, `cannot find or create stream ${ship.stream}`);
    }
    this.session = session;
    return session;
  }

  // One chunk of `file` if a whole line is waiting; false when there is none.
  private async shipNextChunk(session: NatsSession, file: string): Promise<boolean> {
    const fd = this.fdOf(file);
    if (fd === null) return false;
    const point = this.pointOf(file);
    const maxPayload = session.nc.info?.max_payload ?? DEFAULT_MAX_PAYLOAD_BYTES;
    const chunk = readChunk(fd, point.offset, fstatSync(fd).size, maxPayload);
    if (chunk === null) return false;
    const meta: ChunkMeta = { kind: 'lines', offset: chunk.offset, lines: chunk.lines, firstLine: point.lines, sha256: '' };
    await this.publish(session, file, point, meta, chunk.bytes);
    return true;
  }

  private async shipSnapshot(session: NatsSession, file: string): Promise<boolean> {
    let fd: number;
    try {
      fd = openSync(join(this.setup.runDir, file), READ_NO_FOLLOW);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
    let bytes: Buffer;
    try {
      bytes = readFileSync(fd);
    } finally {
      closeSync(fd);
    }
    const point = this.pointOf(file);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (sha256 === point.sha256) return false;
    let lines = 0;
    for (const byte of bytes) if (byte === 0x0a) lines += 1;
    await this.publish(session, file, point, { kind: 'snapshot', offset: bytes.length, lines, firstLine: 0, sha256 }, bytes);
    return true;
  }

  private async publish(session: NatsSession, file: string, point: FilePoint, meta: ChunkMeta, bytes: Buffer): Promise<void> {
    const address = this.addressOf(file);
    const { ship } = this.setup;
    const subject = subjectOf(ship.subjectPrefix, address);
    const result = await publishChunk(session, point, { address, subject, stream: ship.stream, meta, bytes });
    if (result.resynced) {
      this.report.event('ship_resynced', { file, offset_before: point.offset, offset: result.point.offset, subject_seq: result.point.subjectSeq });
    }
    this.checkpoint.files[file] = result.point;
    this.checkpointDirty = true;
  }

  private saveCheckpoint(): void {
    if (!this.checkpointDirty) return;
    writeCheckpoint(this.setup.runDir, this.checkpoint);
    this.checkpointDirty = false;
    this.checkpointSavedMs = Date.now();
  }

  private noteStalled(err: unknown): void {
    const failure = serializeError(natsFailure(err, 'shipping'), 'VMTEL_SHIP_UNREACHABLE');
    if (this.stalledSinceMs !== null) {
      this.report.log('debug', `still stalled: ${failure.message} [${failure.code}]`);
      return;
    }
    this.stalledSinceMs = Date.now();
    const lagBytes = Object.values(this.unshipped()).reduce((a, b) => a + b, 0);
    this.report.event('ship_stalled', { code: failure.code, message: failure.message, lag_bytes: lagBytes });
    this.report.log(failure.code === 'VMTEL_SHIP_REFUSED' ? 'error' : 'warn', `shipping stalled, recording goes on: ${failure.message} [${failure.code}]`);
  }

  private noteResumed(): void {
    this.backoffMs = INITIAL_BACKOFF_MS;
    if (this.stalledSinceMs === null) return;
    const stalledS = (Date.now() - this.stalledSinceMs) / 1000;
    this.stalledSinceMs = null;
    this.report.event('ship_resumed', { stalled_s: stalledS });
    this.report.log('info', `shipping resumed after ${stalledS.toFixed(1)} s`);
  }

  // After a successful pass: how far behind the files the stream is.
  private noteLag(): void {
    const lagBytes = Object.values(this.unshipped()).reduce((a, b) => a + b, 0);
    const now = Date.now();
    if (lagBytes === 0) {
      this.laggingSinceMs = null;
      return;
    }
    this.laggingSinceMs ??= now;
    if (now - this.laggingSinceMs >= LAG_EVENT_AFTER_MS && now - this.lagToldMs >= LAG_EVENT_EVERY_MS) {
      this.lagToldMs = now;
      this.report.event('ship_lag', { lag_bytes: lagBytes, lag_s: (now - this.laggingSinceMs) / 1000 });
    }
  }

  private nextBackoffMs(): number {
    const delayMs = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
    return delayMs;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private pointOf(file: string): FilePoint {
    return this.checkpoint.files[file] ?? START_POINT;
  }

  private addressOf(file: string): FileAddress {
    return { vm: this.setup.vm, episode: this.setup.episode, file };
  }

  // Opened once and kept: the files only grow (collectors append; a torn tail is repaired before
  // any shipper of a restarted episode opens them).
  private fdOf(file: string): number | null {
    const open = this.fds.get(file);
    if (open !== undefined) return open;
    try {
      const fd = openSync(join(this.setup.runDir, file), READ_NO_FOLLOW);
      this.fds.set(file, fd);
      return fd;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  private sizeOf(file: string): number {
    const fd = this.fdOf(file);
    return fd === null ? 0 : fstatSync(fd).size;
  }
}
