// Real nats-server processes for the fleet tests: loopback only, JetStream stores under the
// test's temp dir, ports chosen free beforehand so a node can be started late or again on the
// same address. Every process is killed when the test ends.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { waitFor, withDeadline } from './wait-for';

export interface NatsNodeOptions {
  name: string;
  port: number;
  /** Cluster name and the cluster ports of every node (its own included). */
  cluster?: { name: string; port: number; routePorts: number[] };
  /** Only this user/password may connect. */
  auth?: { user: string; password: string };
}

export interface NatsNode {
  name: string;
  url: string;
  child: ChildProcess;
  /** SIGKILL, and wait for the process to be gone. */
  kill(): Promise<void>;
}

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export async function startNatsNode(t: Pick<TestContext, 'after'>, dir: string, options: NatsNodeOptions): Promise<NatsNode> {
  const configPath = join(dir, `${options.name}.conf`);
  const lines = [
    `server_name: ${options.name}`,
    `listen: 127.0.0.1:${options.port}`,
    `jetstream { store_dir: "${join(dir, `store-${options.name}`)}" }`,
  ];
  if (options.cluster !== undefined) {
    const routes = options.cluster.routePorts.map((port) => `nats-route://127.0.0.1:${port}`).join(', ');
    lines.push(`cluster { name: ${options.cluster.name}, listen: 127.0.0.1:${options.cluster.port}, routes: [${routes}] }`);
  }
  if (options.auth !== undefined) lines.push(`authorization { user: ${options.auth.user}, password: ${options.auth.password} }`);
  writeFileSync(configPath, `${lines.join('\n')}\n`);
  const child = spawn('nats-server', ['-c', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  await waitFor(`nats-server ${options.name} to listen on ${options.port} (log: ${log})`, () => canConnect(options.port), 10_000, 50);
  return {
    name: options.name,
    url: `nats://127.0.0.1:${options.port}`,
    child,
    kill: async () => {
      child.kill('SIGKILL');
      await withDeadline(`nats-server ${options.name} to die`, exited);
    },
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
