// Ship lag: how long after a row is stamped by vmtel it is stored (replicated) in the stream.
// An ordered consumer in the harness receives each chunk once the stream holds it; every row of
// the chunk is timed against its own t_mono_ns. The stream is the run's own, deleted after it (CLOCK_MONOTONIC is one clock for every process
// of the host). The consumer's own delivery is included, so the figure errs on the high side.
import type { JsMsg } from '@nats-io/jetstream';
import { CHUNK_HEADERS } from '../../src/fleet/chunk-message';
import { openNats } from '../../src/fleet/nats-client';
import { ensureStream } from '../../src/fleet/stream-setup';
import { parseExactJson } from '../../src/sink/exact-json';
import { waitFor } from '../../test/helpers/wait-for';
import type { BenchCluster } from './fleet-cluster';
import { runGuestEpisode } from './guest-episode';
import { percentile } from './stats';

export interface LagRun {
  rows: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

const STAMP = /^\{"t_mono_ns":(\d+)/;

export async function runShipLag(cluster: BenchCluster, ratePerSec: number, seconds: number, rowBytes: number): Promise<LagRun> {
  const stream = 'BENCHLAG';
  const prefix = `lag${Date.now()}`;
  const session = await openNats({ servers: cluster.urls, auth: { kind: 'none' }, tls: null, clientName: 'bench lag' });
  const received: Array<[bigint, bigint]> = [];
  let originNs: bigint | null = null;
  try {
    await ensureStream(session.jsm, { stream, subjectPrefix: prefix, replicas: 3, maxAgeDays: 0, duplicateWindowS: 120 });
    const take = (message: JsMsg): void => {
      const atNs = process.hrtime.bigint();
      if (message.headers?.get(CHUNK_HEADERS.kind) === 'snapshot') {
        originNs ??= BigInt((parseExactJson(new TextDecoder().decode(message.data)) as { t_mono_origin_ns: bigint | number }).t_mono_origin_ns);
        return;
      }
      if (!message.subject.endsWith('telemetry-guest~2Ejsonl')) return;
      for (const line of new TextDecoder().decode(message.data).split('\n')) {
        const stamp = STAMP.exec(line);
        if (stamp !== null) received.push([atNs, BigInt(stamp[1]!)]);
      }
    };
    const consumer = await session.js.consumers.get(stream);
    const messages = await consumer.consume();
    const reading = (async () => {
      for await (const message of messages) take(message);
    })();
    const rows = ratePerSec * seconds;
    await runGuestEpisode({ rows, rowBytes, ratePerSec, moreYaml: cluster.shipYaml(stream, prefix) }, 120_000);
    await waitFor('every row in the stream', () => received.length >= rows && originNs !== null, 60_000, 100);
    messages.stop();
    await reading;
    const origin = originNs ?? 0n;
    const lagsMs = Float64Array.from(received, ([atNs, tMonoNs]) => Number(atNs - (origin + tMonoNs)) / 1e6).sort();
    return { rows: received.length, p50Ms: percentile(lagsMs, 50), p99Ms: percentile(lagsMs, 99), maxMs: lagsMs[lagsMs.length - 1] ?? NaN };
  } finally {
    await session.nc.close();
    await cluster.dropStream(stream);
  }
}
