// `ship:` of a config file, checked whole like every other section: the server list, how to
// authenticate, and the stream's settings for when vmtel has to create it. Absent, nothing ships
// and nothing of the NATS client is ever loaded.
import { checkKey, checkOptions, mappingAt, reportUnknownKeys, type MappingPlace } from './check-options';
import { SHIP_NATS_OPTIONAL, SHIP_NATS_SCHEMA } from './ship-keys';

/** The resolved `ship:` section: defaults filled, paths absolute. */
export interface ShipConfig {
  servers: string[];
  stream: string;
  subjectPrefix: string;
  drainTimeoutS: number;
  replicas: number;
  maxAgeDays: number;
  duplicateWindowS: number;
  auth: ShipAuth;
  tls: { caFile?: string; certFile?: string; keyFile?: string } | null;
}

export type ShipAuth = { kind: 'none' } | { kind: 'credentials'; file: string } | { kind: 'user'; user: string; password: string };

const SERVER_URL = /^(nats|tls):\/\/[^\s/]+:\d+$/;

/** The checked section and its resolved form for printing (the password redacted), or undefined after problems. */
export function checkShip(value: unknown, topPlace: MappingPlace): { config: ShipConfig; resolved: Record<string, unknown> } | undefined {
  const at = ['ship'];
  const section = mappingAt(value, 'a mapping with a nats: entry', at, topPlace.problems);
  if (section === undefined) return undefined;
  reportUnknownKeys(section, ['nats'], { ...topPlace, at });
  const place = { ...topPlace, at: [...at, 'nats'] };
  if (!Object.hasOwn(section, 'nats')) {
    topPlace.problems.add(place.at, 'required key is missing; expected a mapping with servers: and, optionally, the stream and credentials');
    return undefined;
  }
  const nats = mappingAt(section['nats'], 'a mapping with servers:', place.at, place.problems);
  if (nats === undefined) return undefined;
  reportUnknownKeys(nats, [...Object.keys(SHIP_NATS_SCHEMA), ...Object.keys(SHIP_NATS_OPTIONAL)], place);
  const options = checkOptions(nats, SHIP_NATS_SCHEMA, place);
  const optional = Object.fromEntries(
    Object.entries(SHIP_NATS_OPTIONAL).map(([key, spec]) => [key, checkKey(nats, key, spec, place) as string | undefined]),
  ) as Partial<Record<keyof typeof SHIP_NATS_OPTIONAL, string>>;
  checkServers(options.servers, place);
  const auth = checkAuth(optional, place);
  if (optional.tls_cert !== undefined && optional.tls_key === undefined) place.problems.add([...place.at, 'tls_cert'], 'expected tls_key beside it, got no tls_key');
  if (optional.tls_key !== undefined && optional.tls_cert === undefined) place.problems.add([...place.at, 'tls_key'], 'expected tls_cert beside it, got no tls_cert');
  const anyTls = optional.tls_ca !== undefined || optional.tls_cert !== undefined;
  const config: ShipConfig = {
    servers: [...(options.servers ?? [])],
    stream: options.stream,
    subjectPrefix: options.subject_prefix,
    drainTimeoutS: options.drain_timeout_s,
    replicas: options.replicas,
    maxAgeDays: options.max_age_days,
    duplicateWindowS: options.duplicate_window_s,
    auth: auth ?? { kind: 'none' },
    tls: anyTls
      ? {
          ...(optional.tls_ca === undefined ? {} : { caFile: optional.tls_ca }),
          ...(optional.tls_cert === undefined ? {} : { certFile: optional.tls_cert }),
          ...(optional.tls_key === undefined ? {} : { keyFile: optional.tls_key }),
        }
      : null,
  };
  const shown = Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined));
  if (shown['password'] !== undefined) shown['password'] = '<redacted>';
  return { config, resolved: { nats: { ...options, ...shown } } };
}

function checkServers(servers: readonly string[] | undefined, place: MappingPlace): void {
  if (servers === undefined) return;
  if (servers.length === 0) place.problems.add([...place.at, 'servers'], 'expected at least one server URL, got an empty list');
  servers.forEach((url, index) => {
    if (!SERVER_URL.test(url)) place.problems.add([...place.at, 'servers', index], `expected nats://HOST:PORT or tls://HOST:PORT, got "${url}"`);
  });
}

function checkAuth(optional: Partial<Record<keyof typeof SHIP_NATS_OPTIONAL, string>>, place: MappingPlace): ShipAuth | undefined {
  const { credentials, user, password } = optional;
  if (credentials !== undefined && (user !== undefined || password !== undefined)) {
    place.problems.add([...place.at, 'credentials'], 'expected either credentials or user/password, got both');
    return undefined;
  }
  if (credentials !== undefined) return { kind: 'credentials', file: credentials };
  if (user !== undefined && password === undefined) place.problems.add([...place.at, 'user'], 'expected password beside it, got no password');
  if (password !== undefined && user === undefined) place.problems.add([...place.at, 'password'], 'expected user beside it, got no user');
  if (user !== undefined && password !== undefined) return { kind: 'user', user, password };
  return undefined;
}
