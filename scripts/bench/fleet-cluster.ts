// The fleet benchmark's JetStream: three real nats-server nodes on loopback, stores under the
// bench dir, every stream of the benchmark created with three replicas as a lab would run it.
import type { ShipConfig } from '../../src/config/ship-config';
import { openNats } from '../../src/fleet/nats-client';
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
