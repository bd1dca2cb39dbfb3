// Catch-up: a host back after a long outage ships its backlog. The shipper (whole-line chunks,
// de-dup ids, expected subject sequences, the checkpoint) against a plain loop publishing the
// same chunks with the same client and awaiting each ack, to the same 3-replica stream.
import { closeSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { readChunk } from '../../src/fleet/chunk-reader';
import type { ShipConfig } from '../../src/config/ship-config';
import { openNats, type NatsSession } from '../../src/fleet/nats-client';
import { Shipper } from '../../src/fleet/shipper';
import { SHIP_CHECKPOINT_FILE } from '../../src/run-dir-files';
import { ensureStream } from '../../src/fleet/stream-setup';
import type { BenchCluster } from './fleet-cluster';

const FILE = 'telemetry-guest.jsonl';
export const CATCH_UP_STREAM = 'BENCHCATCHUP';
const PREFIX = 'catchup';
// Rows are written in blocks of this size: the backlog is built in a few seconds.
const BLOCK_BYTES = 8 * 2 ** 20;

export interface CatchUpRun {
  bytes: number;
  shipperMBps: number;
  plainMBps: number;
}

/** Writes `bytes` (rounded down to whole rows) of agent-like rows of `rowBytes` into DIR/FILE. */
export function writeBacklog(dir: string, bytes: number, rowBytes: number): number {
  const fd = openSync(join(dir, FILE), 'w');
  let seq = 0;
  let written = 0;
  try {
    while (written + rowBytes <= bytes) {
      const rows: string[] = [];
      for (let size = 0; size + rowBytes <= BLOCK_BYTES && written + size + rowBytes <= bytes; size += rowBytes) {
        const head = `{"t_mono_ns":${1_000_000 + seq},"source":"guest_agent","seq":${seq},"pad":"`;
        rows.push(`${head}${'x'.repeat(rowBytes - head.length - 3)}"}\n`);
        seq += 1;
      }
      const block = Buffer.from(rows.join(''));
      writeSync(fd, block);
      written += block.length;
    }
  } finally {
    closeSync(fd);
  }
  return written;
}

export async function runCatchUp(cluster: BenchCluster, dir: string, run: number): Promise<CatchUpRun> {
  const bytes = statSync(join(dir, FILE)).size;
  const session = await openNats({ servers: cluster.urls, auth: { kind: 'none' }, tls: null, clientName: 'bench plain loop' });
  const ship = cluster.ship(CATCH_UP_STREAM, PREFIX);
  try {
    await ensureStream(session.jsm, ship);
    const timed = async (body: () => Promise<void>): Promise<number> => {
      const startMs = performance.now();
      await body();
      const seconds = (performance.now() - startMs) / 1000;
      // The stream is emptied between the two, so each starts from the same state; the purge's
      // after-effects on the servers fall on whichever runs second, hence the alternating order.
      await session.jsm.streams.purge(CATCH_UP_STREAM);
      return bytes / 1e6 / seconds;
    };
    const shipperRun = (): Promise<number> => timed(() => shipBacklog(dir, ship, run));
    const plainRun = (): Promise<number> => timed(() => publishPlainly(session, dir, bytes, `${PREFIX}.bench.plain-${run}.f`));
    if (run % 2 === 0) {
      const shipperMBps = await shipperRun();
      return { bytes, shipperMBps, plainMBps: await plainRun() };
    }
    const plainMBps = await plainRun();
    return { bytes, shipperMBps: await shipperRun(), plainMBps };
  } finally {
    await session.nc.close();
  }
}

async function shipBacklog(dir: string, ship: ShipConfig, run: number): Promise<void> {
  rmSync(join(dir, SHIP_CHECKPOINT_FILE), { force: true });
  const shipper = new Shipper(
    { runDir: dir, vm: 'bench', episode: `shipper-${run}`, ship, appendFiles: [FILE], snapshotFiles: [] },
    { event: () => undefined, log: () => undefined },
  );
  try {
    if (!(await shipper.shipAll(Number.POSITIVE_INFINITY, false))) throw new Error('the shipper did not ship the whole backlog');
  } finally {
    await shipper.close();
  }
}

// The same chunks, the same client, each ack awaited: what any publisher of these files pays.
async function publishPlainly(session: NatsSession, dir: string, bytes: number, subject: string): Promise<void> {
  const fd = openSync(join(dir, FILE), 'r');
  const maxPayload = session.nc.info?.max_payload ?? 2 ** 20;
  try {
    for (let offset = 0; offset < bytes; ) {
      const chunk = readChunk(fd, offset, bytes, maxPayload);
      if (chunk === null) break;
      await session.js.publish(subject, chunk.bytes);
      offset += chunk.bytes.length;
    }
  } finally {
    closeSync(fd);
  }
}
