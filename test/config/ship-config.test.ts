// `ship:` checked whole, problem by problem, each word for word with its line; and what a valid
// section resolves to: defaults, absolute paths, the three ways to authenticate, TLS files only
// when given, and the printed form with only the keys given (the password redacted).
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { EpisodeConfig } from '../../src/config/episode-config';
import { loadConfig } from '../../src/config/load-config';
import { problemsOf, writeConfig } from '../fixtures/config/config-file';

// Lines 1–4; `ship:` is line 5.
const HEAD = 'vm: vm1\nepisode: ep1\ncollectors:\n  host: {}\n';
const DEFAULTS = { stream: 'VMTEL', subjectPrefix: 'vmtel', drainTimeoutS: 30, replicas: 1, maxAgeDays: 0, duplicateWindowS: 120 };
const RESOLVED_DEFAULTS = { stream: 'VMTEL', subject_prefix: 'vmtel', drain_timeout_s: 30, replicas: 1, max_age_days: 0, duplicate_window_s: 120 };

/** The problems of HEAD + `ship`, as the user reads them (`vm1.yaml:LINE: key: message`). */
function problems(t: TestContext, ship: string): Promise<string[]> {
  return problemsOf(writeConfig(t, HEAD + ship));
}

/** The config of HEAD + `ship` and the folder of its file. */
async function load(t: TestContext, ship: string): Promise<{ dir: string; config: EpisodeConfig }> {
  const path = writeConfig(t, HEAD + ship);
  return { dir: dirname(path), config: await loadConfig(path, { env: {} }) };
}

test('ship: that is not a mapping, or whose nats: is not one, or is missing', async (t) => {
  assert.deepEqual(await problems(t, 'ship: 3\n'), ['vm1.yaml:5: ship: expected a mapping with a nats: entry, got 3']);
  assert.deepEqual(await problems(t, 'ship:\n  nats: [a]\n'), ['vm1.yaml:6: ship.nats: expected a mapping with servers:, got a list']);
  assert.deepEqual(await problems(t, 'ship: {}\n'), [
    'vm1.yaml:5: ship.nats: required key is missing; expected a mapping with servers: and, optionally, the stream and credentials',
  ]);
  assert.deepEqual(await problems(t, 'ship:\n  nats:\n    servers: []\n  other: 1\n'), [
    'vm1.yaml:7: ship.nats.servers: expected at least one server URL, got an empty list',
    'vm1.yaml:8: ship.other: unknown key; known keys are nats',
  ]);
});

test('each server must be nats://HOST:PORT or tls://HOST:PORT, and the list a list', async (t) => {
  const found = await problems(t, "ship:\n  nats:\n    servers: ['nats://a b:1', 'nats://h/x:1', 'nats://h:1/', 'nats://h:x', 'tls://h:1', 'NATS://h:1', 'nats://h:1']\n");
  assert.deepEqual(found, [
    'vm1.yaml:7: ship.nats.servers[0]: expected nats://HOST:PORT or tls://HOST:PORT, got "nats://a b:1"',
    'vm1.yaml:7: ship.nats.servers[1]: expected nats://HOST:PORT or tls://HOST:PORT, got "nats://h/x:1"',
    'vm1.yaml:7: ship.nats.servers[2]: expected nats://HOST:PORT or tls://HOST:PORT, got "nats://h:1/"',
    'vm1.yaml:7: ship.nats.servers[3]: expected nats://HOST:PORT or tls://HOST:PORT, got "nats://h:x"',
    'vm1.yaml:7: ship.nats.servers[5]: expected nats://HOST:PORT or tls://HOST:PORT, got "NATS://h:1"',
  ]);
  assert.deepEqual(await problems(t, "ship:\n  nats:\n    servers: ['xnats://h:1']\n"), [
    'vm1.yaml:7: ship.nats.servers[0]: expected nats://HOST:PORT or tls://HOST:PORT, got "xnats://h:1"',
  ]);
  const named = await load(t, 'ship:\n  nats:\n    servers: [nats://nats-1.lab:4222]\n    subject_prefix: lab-1.vm_x.y\n');
  assert.deepEqual([named.config.ship?.servers, named.config.ship?.subjectPrefix], [['nats://nats-1.lab:4222'], 'lab-1.vm_x.y']);
  assert.deepEqual(await problems(t, 'ship:\n  nats:\n    servers: nats://a:1\n'), [
    'vm1.yaml:7: ship.nats.servers: expected a list of strings, got "nats://a:1" (a string)',
  ]);
  assert.deepEqual(await problems(t, 'ship:\n  nats:\n    servers: [nats://a:1]\n    stream: a.b\n'), [
    `vm1.yaml:8: ship.nats.stream: expected a string (letters, digits, '_' and '-'), got "a.b" (a string)`,
  ]);
});

test('credentials alone, or user and password together', async (t) => {
  const servers = 'ship:\n  nats:\n    servers: [nats://a:1]\n';
  const credentials = await load(t, `${servers}    credentials: x.creds\n`);
  assert.deepEqual(credentials.config.ship, { servers: ['nats://a:1'], ...DEFAULTS, auth: { kind: 'credentials', file: join(credentials.dir, 'x.creds') }, tls: null });
  assert.deepEqual(credentials.config.resolved['ship'], { nats: { servers: ['nats://a:1'], ...RESOLVED_DEFAULTS, credentials: join(credentials.dir, 'x.creds') } });
  assert.deepEqual(await problems(t, `${servers}    user: u\n`), ['vm1.yaml:8: ship.nats.user: expected password beside it, got no password']);
  assert.deepEqual(await problems(t, `${servers}    password: p\n`), ['vm1.yaml:8: ship.nats.password: expected user beside it, got no user']);
  assert.deepEqual(await problems(t, `${servers}    credentials: x.creds\n    password: p\n`), [
    'vm1.yaml:8: ship.nats.credentials: expected either credentials or user/password, got both',
  ]);
  const none = await load(t, servers);
  assert.deepEqual(none.config.ship, { servers: ['nats://a:1'], ...DEFAULTS, auth: { kind: 'none' }, tls: null });
  assert.deepEqual(none.config.resolved['ship'], { nats: { servers: ['nats://a:1'], ...RESOLVED_DEFAULTS } });
});

test('TLS files are resolved beside the config, each only when given; a certificate needs its key and a key its certificate', async (t) => {
  const servers = 'ship:\n  nats:\n    servers: [tls://a:1]\n';
  const ca = await load(t, `${servers}    tls_ca: ca.pem\n`);
  assert.deepEqual(ca.config.ship!.tls, { caFile: join(ca.dir, 'ca.pem') });
  const pair = await load(t, `${servers}    tls_cert: c.pem\n    tls_key: k.pem\n    stream: S-1\n    subject_prefix: a.b\n    replicas: 3\n    max_age_days: 7\n    duplicate_window_s: 60\n    drain_timeout_s: 0\n`);
  assert.deepEqual(pair.config.ship, {
    servers: ['tls://a:1'],
    stream: 'S-1',
    subjectPrefix: 'a.b',
    drainTimeoutS: 0,
    replicas: 3,
    maxAgeDays: 7,
    duplicateWindowS: 60,
    auth: { kind: 'none' },
    tls: { certFile: join(pair.dir, 'c.pem'), keyFile: join(pair.dir, 'k.pem') },
  });
  assert.deepEqual(await problems(t, `${servers}    tls_key: k.pem\n`), ['vm1.yaml:8: ship.nats.tls_key: expected tls_cert beside it, got no tls_cert']);
  assert.deepEqual(await problems(t, `${servers}    tls_cert: c.pem\n`), ['vm1.yaml:8: ship.nats.tls_cert: expected tls_key beside it, got no tls_key']);
});
