// Ships the files of one run dir to the stream: every append-only file as chunks of whole lines
// from its checkpointed offset, every rewritten file (episode.json) as a snapshot when its bytes
// changed. The files themselves are the backlog: nothing is buffered in memory beyond the chunk
// in flight, so an outage of any length costs no memory and never touches the recording. It
// backs off while the servers are away and says so once (ship_stalled), and once when they are
// back (ship_resumed).
import { createHash } from 'node:crypto';
import { fstatSync } from 'node:fs';
import type { ShipConfig } from '../config/ship-config';
import { readChunk } from './chunk-reader';
import type { ChunkMeta } from './chunk-message';
import { natsFailure, openNats, type NatsSession } from './nats-client';
import { ShipHealth, type ShipperReport } from './ship-health';
import { publishChunk } from './publish-chunk';
import { bytesBehind, RunDirReader } from './run-dir-reader';
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
// The checkpoint is rewritten (with an fsync) at most this often while chunks stream out: each
// write waits on the disk, which the stream's own writes keep busy during a catch-up (every
// 250 ms cost a sixth of the catch-up rate in the benchmark). A lagging checkpoint only means a
// resync from the stream after a crash (see ship-checkpoint.ts).
const CHECKPOINT_EVERY_MS = 1000;
// NATS's default max_payload, used until the server says its own.
const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

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

export type { ShipperReport };

type PassResult = 'idle' | 'progress' | 'failed';

export class Shipper {
  private readonly setup: ShipperSetup;
  private readonly report: ShipperReport;
  private readonly checkpoint: ShipCheckpoint;
  private session: NatsSession | null = null;
  private readonly files: RunDirReader;
  private readonly health: ShipHealth;
  private backoffMs = INITIAL_BACKOFF_MS;
  private checkpointDirty = false;
  private checkpointSavedMs = 0;
  private wake: () => void = () => undefined;

  constructor(setup: ShipperSetup, report: ShipperReport) {
    this.setup = setup;
    this.report = report;
    this.health = new ShipHealth(report);
    this.files = new RunDirReader(setup.runDir);
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
      const result = await this.pass(true, () => stop);
      if (result !== 'progress' && !stop) await this.sleep(result === 'idle' ? POLL_MS : this.nextBackoffMs());
    }
  }

  /** Ships everything there is now; true once all of it is acknowledged, false at the deadline. */
  async shipAll(deadlineMs: number, withSnapshots: boolean): Promise<boolean> {
    const late = (): boolean => Date.now() >= deadlineMs;
    for (;;) {
      const result = await this.pass(withSnapshots, late);
      // A pass cut short by the deadline ends idle too: only files shipped to their end count.
      if (late()) return result === 'idle' && Object.keys(this.unshipped()).length === 0;
      if (result === 'idle') return true;
      if (result === 'failed') await this.sleep(Math.min(deadlineMs - Date.now(), this.nextBackoffMs()));
    }
  }

  private lagBytes(): number {
    return Object.values(this.unshipped()).reduce((sum, bytes) => sum + bytes, 0);
  }

  /** Bytes of the append-only files not yet acknowledged, by file (files with none left out). */
  unshipped(): Record<string, number> {
    return bytesBehind(this.setup.appendFiles, (file) => this.files.sizeOf(file), (file) => this.pointOf(file).offset);
  }

  async close(): Promise<void> {
    this.saveCheckpoint();
    this.files.close();
    const session = this.session;
    this.session = null;
    if (session !== null) await session.nc.close().catch(() => undefined);
  }

  // One round over the files, each shipped to its end unless `enough` says to stop sooner (the
  // live phase is over, the drain's deadline passed): a big backlog must not hold up the stop.
  // One round over the files, each shipped to its end unless `enough` says to stop sooner (the
  // live phase is over, the drain's deadline passed): a big backlog must not hold up the stop.
  private async pass(withSnapshots: boolean, enough: () => boolean): Promise<PassResult> {
    let progressed = false;
    try {
      const session = await this.ensureSession();
      for (const file of this.setup.appendFiles) {
        while (!enough() && (await this.shipNextChunk(session, file))) progressed = true;
      }
      if (withSnapshots) for (const file of this.setup.snapshotFiles) if (await this.shipSnapshot(session, file)) progressed = true;
    } catch (err) {
      this.health.stalled(err, this.lagBytes());
      return 'failed';
    }
    this.backoffMs = INITIAL_BACKOFF_MS;
    this.health.shipped(this.lagBytes());
    if (!progressed || Date.now() - this.checkpointSavedMs >= CHECKPOINT_EVERY_MS) this.saveCheckpoint();
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
    const fd = this.files.fdOf(file);
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
    const bytes = this.files.readWhole(file);
    if (bytes === null) return false;
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
}
