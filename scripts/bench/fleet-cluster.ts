// The fleet benchmark's JetStream: three real nats-server nodes on loopback, stores under the
// bench dir, every stream of the benchmark created with three replicas as a lab would run it.
import type { ShipConfig } from '../../src/config/ship-config';
import { openNats } from '../../src/fleet/nats-client';
import { ensureStream } from '../../src/fleet/stream-setup';
import { waitFor } from '../../test/helpers/wait-for';
import { freePort, startNatsNode } from '../../test/helpers/nats-server';

const NAMES = ['b1', 'b2', 'b3'];

export interface BenchCluster {
  urls: string[];
  /** A `ship:` config for `stream`, subjects `<prefix>.>`, three replicas. */
  ship(stream: string, subjectPrefix: string): ShipConfig;
  /** The same as a config file's `ship:` section. */
  shipYaml(stream: string, subjectPrefix: string): string;
  /** Deletes a stream of the benchmark, so the next run starts from an empty one. */
  dropStream(stream: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startBenchCluster(dir: string): Promise<BenchCluster> {
  const cleanups: Array<() => Promise<void> | void> = [];
  const owner = { after: (fn: () => Promise<void> | void) => void cleanups.push(fn) };
  const ports = await Promise.all(NAMES.map(() => freePort()));
  const clusterPorts = await Promise.all(NAMES.map(() => freePort()));
  const nodes = await Promise.all(
    NAMES.map((name, i) => startNatsNode(owner, dir, { name, port: ports[i]!, cluster: { name: 'bench', port: clusterPorts[i]!, routePorts: clusterPorts } })),
  );
  const urls = nodes.map((node) => node.url);
  await placementPossible(urls);
  return {
    urls,
    ship: (stream, subjectPrefix) => ({
      servers: urls,
      stream,
      subjectPrefix,
      drainTimeoutS: 120,
      replicas: 3,
      maxAgeDays: 0,
      duplicateWindowS: 120,
      auth: { kind: 'none' },
      tls: null,
    }),
    shipYaml: (stream, subjectPrefix) =>
      `ship:\n  nats:\n    servers: [${urls.join(', ')}]\n    stream: ${stream}\n    subject_prefix: ${subjectPrefix}\n    replicas: 3\n    drain_timeout_s: 120\n`,
    dropStream: async (stream) => {
      const session = await openNats({ servers: urls, auth: { kind: 'none' }, tls: null, clientName: 'bench' });
      await session.jsm.streams.delete(stream).catch(() => undefined);
      await session.nc.close();
    },
    stop: async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
    },
  };
}

// The nodes listen before their cluster has formed and elected a meta leader; until then a
// 3-replica stream cannot be placed. vmtel itself just retries; the harness waits for it once.
async function placementPossible(urls: string[]): Promise<void> {
  const session = await openNats({ servers: urls, auth: { kind: 'none' }, tls: null, clientName: 'bench probe' });
  try {
    const probe = { stream: 'BENCHPROBE', subjectPrefix: 'probe', replicas: 3, maxAgeDays: 0, duplicateWindowS: 120 };
    await waitFor('the cluster to place a 3-replica stream', () => ensureStream(session.jsm, probe).then(() => true), 60_000, 500);
    await session.jsm.streams.delete(probe.stream);
  } finally {
    await session.nc.close();
  }
}
