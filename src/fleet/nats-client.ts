// The one door to the NATS client. It is required here, inside functions, and only by the
// shipper worker and the ship/archive commands: `vmtel run` without `ship:` never loads or parses
// it, and the bundle keeps it external (scripts/bundle.ts). See docs/build.md.
import { readFileSync } from 'node:fs';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection, NodeConnectionOptions } from '@nats-io/transport-node';
import type { ShipAuth } from '../config/ship-config';
import { VmtelError } from '../errors';

export type { JetStreamClient, JetStreamManager, NatsConnection };

/** What a side needs to reach the servers: a shipper from its config, the archive from its flags. */
export interface NatsEndpoint {
  servers: string[];
  auth: ShipAuth;
  tls: { caFile?: string; certFile?: string; keyFile?: string } | null;
  /** Shown to the server operator in its connection list. */
  clientName: string;
}

export interface NatsSession {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
}

// A connect attempt that hangs longer than this is a server that is not there for us.
const CONNECT_TIMEOUT_MS = 5000;
// Between reconnect attempts of an established connection; the client retries for ever.
const RECONNECT_WAIT_MS = 1000;

/** Connects once (no retry of a first connect); throws VMTEL_SHIP_REFUSED or VMTEL_SHIP_UNREACHABLE. */
export async function openNats(endpoint: NatsEndpoint): Promise<NatsSession> {
  const transport = require('@nats-io/transport-node') as typeof import('@nats-io/transport-node');
  const jetstreamLib = require('@nats-io/jetstream') as typeof import('@nats-io/jetstream');
  const options: NodeConnectionOptions = {
    servers: endpoint.servers,
    name: endpoint.clientName,
    timeout: CONNECT_TIMEOUT_MS,
    maxReconnectAttempts: -1,
    reconnectTimeWait: RECONNECT_WAIT_MS,
    ...authOptions(endpoint.auth, transport),
    ...(endpoint.tls === null ? {} : { tls: endpoint.tls }),
  };
  let nc: NatsConnection;
  try {
    nc = await transport.connect(options);
  } catch (err) {
    throw natsFailure(err, `cannot connect to ${endpoint.servers.join(', ')}`);
  }
  try {
    // checkAPI off: the account check is one more round trip, and a missing JetStream shows up
    // on the first real request anyway.
    const jsm = await jetstreamLib.jetstreamManager(nc, { checkAPI: false });
    return { nc, js: jetstreamLib.jetstream(nc), jsm };
  } catch (err) {
    await nc.close();
    throw natsFailure(err, 'cannot use JetStream');
  }
}

function authOptions(auth: ShipAuth, transport: typeof import('@nats-io/transport-node')): Partial<NodeConnectionOptions> {
  switch (auth.kind) {
    case 'none':
      return {};
    case 'user':
      return { user: auth.user, pass: auth.password };
    case 'credentials':
      return { authenticator: transport.credsAuthenticator(readFileSync(auth.file)) };
    default:
      throw new Error(`unknown auth ${JSON.stringify(auth satisfies never)}`);
  }
}

/** A NATS failure as a VmtelError: refused credentials and permissions apart from everything else. */
export function natsFailure(err: unknown, doing: string): VmtelError {
  if (err instanceof VmtelError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const name = err instanceof Error ? err.name : '';
  const refused = /authori[sz]ation|authentication|permission/i.test(`${name} ${message}`);
  return new VmtelError(refused ? 'VMTEL_SHIP_REFUSED' : 'VMTEL_SHIP_UNREACHABLE', `${doing}: ${message}`, { cause: err });
}
