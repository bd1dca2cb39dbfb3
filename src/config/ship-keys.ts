// The keys of `ship:`, the optional section that sends an episode's files to a NATS JetStream
// stream as they are written (see docs/fleet.md). Declared as option specs like every other key,
// so they are checked with their line, defaulted and documented by the same code.
import type { OptionSpec, PathSpec, StringSpec } from './option-spec';

// A stream name becomes one token of JetStream's API subjects: no dots, wildcards or spaces.
const STREAM_PATTERN = /^[A-Za-z0-9_-]+$/;
// Tokens of the same characters, dot-separated: the fixed head of every subject vmtel publishes.
export const SUBJECT_PREFIX_PATTERN = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
export const SUBJECT_PREFIX_DOC = "tokens of letters, digits, '_' and '-', separated by dots";

/** Defaults shared by `ship:` and `vmtel archive`, so both sides meet on the same subjects. */
export const SHIP_DEFAULTS = { stream: 'VMTEL', subjectPrefix: 'vmtel' } as const;

const tlsFile = (doc: string): PathSpec => ({ type: 'path', relativeTo: 'config_dir', doc });

/** `ship.nats:` keys that have a default or are required. */
export const SHIP_NATS_SCHEMA = {
  servers: { type: 'string-list', doc: 'NATS server URLs (nats://host:4222 or tls://host:4222); any one is enough to connect' },
  stream: { type: 'string', default: SHIP_DEFAULTS.stream, pattern: STREAM_PATTERN, patternDoc: "letters, digits, '_' and '-'", doc: 'JetStream stream the chunks go to; created when missing' },
  subject_prefix: { type: 'string', default: SHIP_DEFAULTS.subjectPrefix, pattern: SUBJECT_PREFIX_PATTERN, patternDoc: SUBJECT_PREFIX_DOC, doc: 'head of every subject: <prefix>.<vm>.<episode>.<file>' },
  drain_timeout_s: {
    type: 'integer',
    // Thirty seconds ships the last few MB of an episode even to a slow server, and is short
    // enough that a stop with the servers down does not hold pm2's restart of the VM for long.
    default: 30,
    min: 0,
    max: 3600,
    unit: 'seconds',
    doc: 'how long a stop waits for the files to be shipped to their end; what is left is recorded in episode.json',
  },
  // One replica suits a single server; a cluster should use 3 (see docs/fleet.md).
  replicas: { type: 'integer', default: 1, min: 1, max: 5, doc: 'replicas of the stream when vmtel creates it' },
  // Zero keeps chunks until an operator removes them: the archive's --check needs them.
  max_age_days: { type: 'integer', default: 0, min: 0, max: 36_500, unit: 'days', doc: "stream retention when vmtel creates it: chunks older than this are removed; 0 keeps them" },
  // JetStream's own default: two minutes of server-side de-duplication by message id.
  duplicate_window_s: { type: 'integer', default: 120, min: 1, max: 86_400, unit: 'seconds', doc: 'de-duplication window of the stream when vmtel creates it' },
} as const satisfies Record<string, OptionSpec>;

/** `ship.nats:` keys without a default: each may be left out. */
export const SHIP_NATS_OPTIONAL = {
  credentials: tlsFile('a NATS .creds file (JWT and nkey seed)'),
  user: { type: 'string', doc: 'user name; needs password' } satisfies StringSpec,
  password: { type: 'string', doc: 'password of user; written as <redacted> in the resolved config' } satisfies StringSpec,
  tls_ca: tlsFile('CA certificate (PEM) the servers are checked against'),
  tls_cert: tlsFile('client certificate (PEM); needs tls_key'),
  tls_key: tlsFile('key of tls_cert (PEM)'),
} as const satisfies Record<string, OptionSpec>;
