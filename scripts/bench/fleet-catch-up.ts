// Catch-up: a host back after a long outage ships its backlog. The shipper (whole-line chunks,
// de-dup ids, expected subject sequences, the checkpoint) against a plain loop publishing the
// same chunks with the same client and awaiting each ack, to the same 3-replica stream.
import { closeSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { readChunk } from '../../src/fleet/chunk-reader';
import { openNats } from '../../src/fleet/nats-client';
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
    rmSync(join(dir, SHIP_CHECKPOINT_FILE), { force: true });
    const shipper = new Shipper(
      { runDir: dir, vm: 'bench', episode: `shipper-${run}`, ship, appendFiles: [FILE], snapshotFiles: [] },
      { event: () => undefined, log: () => undefined },
    );
    const shipperStartMs = performance.now();
    const complete = await shipper.shipAll(Number.POSITIVE_INFINITY, false);
    const shipperS = (performance.now() - shipperStartMs) / 1000;
    await shipper.close();
    if (!complete) throw new Error('the shipper did not ship the whole backlog');
    await session.jsm.streams.purge(CATCH_UP_STREAM);

    const fd = openSync(join(dir, FILE), 'r');
    const maxPayload = session.nc.info?.max_payload ?? 2 ** 20;
    const plainStartMs = performance.now();
    try {
      for (let offset = 0; offset < bytes; ) {
        const chunk = readChunk(fd, offset, bytes, maxPayload);
        if (chunk === null) break;
        await session.js.publish(`${PREFIX}.bench.plain-${run}.f`, chunk.bytes);
        offset += chunk.bytes.length;
      }
    } finally {
      closeSync(fd);
    }
    const plainS = (performance.now() - plainStartMs) / 1000;
    await session.jsm.streams.purge(CATCH_UP_STREAM);
    return { bytes, shipperMBps: bytes / 1e6 / shipperS, plainMBps: bytes / 1e6 / plainS };
  } finally {
    await session.nc.close();
  }
}
