import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, formatProblem } from '../../src/config/config-error';
import { loadConfig } from '../../src/config/load-config';
import { SHIP_NATS_OPTIONAL, SHIP_NATS_SCHEMA } from '../../src/config/ship-keys';
import { tempDir } from '../helpers/temp-dir';

const HEAD = 'vm: vm1\nepisode: ep1\ncollectors:\n  host: {}\n';

async function problemsOf(path: string): Promise<string[]> {
  try {
    await loadConfig(path, { env: {} });
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.problems.map(formatProblem);
  }
  throw new Error('expected the config to be refused');
}

test('ship: resolved with its defaults; the password never printed', async (t) => {
  const path = join(tempDir(t), 'vm.yaml');
  writeFileSync(path, `${HEAD}ship:\n  nats:\n    servers: [nats://a:4222, tls://b:4222]\n    user: u\n    password: secret\n`);
  const config = await loadConfig(path, { env: {} });
  assert.deepEqual(config.ship, {
    servers: ['nats://a:4222', 'tls://b:4222'],
    stream: 'VMTEL',
    subjectPrefix: 'vmtel',
    drainTimeoutS: 30,
    replicas: 1,
    maxAgeDays: 0,
    duplicateWindowS: 120,
    auth: { kind: 'user', user: 'u', password: 'secret' },
    tls: null,
  });
  assert.equal((config.resolved['ship'] as { nats: Record<string, unknown> }).nats['password'], '<redacted>');
  assert.ok(!JSON.stringify(config.resolved).includes('secret'));
});

test('every problem of ship: at once, each with its line', async (t) => {
  const path = join(tempDir(t), 'vm.yaml');
  writeFileSync(
    path,
    `${HEAD}ship:\n  nats:\n    servers: [http://a:80]\n    subject_prefix: a..b\n    credentials: x.creds\n    user: u\n    tls_cert: c.pem\n    drain_timeout_s: -1\n    replica: 3\n`,
  );
  const problems = await problemsOf(path);
  const expected = [
    /:7: ship\.nats\.servers\[0\]: expected nats:\/\/HOST:PORT or tls:\/\/HOST:PORT, got "http:\/\/a:80"/,
    /:8: ship\.nats\.subject_prefix: expected a string \(tokens of letters/,
    /:9: ship\.nats\.credentials: expected either credentials or user\/password, got both/,
    /:11: ship\.nats\.tls_cert: expected tls_key beside it/,
    /:12: ship\.nats\.drain_timeout_s: expected an integer from 0 to 3600 \(seconds\), got -1/,
    /:13: ship\.nats\.replica: unknown key; did you mean "replicas"\?/,
  ];
  for (const pattern of expected) assert.ok(problems.some((p) => pattern.test(p)), `${pattern}\n${problems.join('\n')}`);
  assert.equal(problems.length, expected.length, problems.join('\n'));
});

test('ship: without nats: or servers is refused on its line', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'vm.yaml');
  writeFileSync(path, `${HEAD}ship:\n  nats:\n    stream: S\n`);
  assert.match((await problemsOf(path)).join('\n'), /:6: ship\.nats\.servers: required key is missing/);
  writeFileSync(path, `${HEAD}ship: {}\n`);
  assert.match((await problemsOf(path)).join('\n'), /:5: ship\.nats: required key is missing/);
});

test('docs/configuration.md has a row for every ship.nats key, with the code default', () => {
  const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'configuration.md'), 'utf8');
  for (const [key, spec] of Object.entries({ ...SHIP_NATS_SCHEMA, ...SHIP_NATS_OPTIONAL })) {
    const row = doc.split('\n').find((line) => line.startsWith(`| \`${key}\` |`));
    assert.ok(row !== undefined, `no row for ship.nats.${key}`);
    const defaultCell = row.split(' | ')[2] ?? '';
    const expected = !('default' in spec) ? (key === 'servers' ? 'required' : 'none') : String(spec.default);
    assert.ok(defaultCell.includes(expected), `ship.nats.${key} default: ${defaultCell}`);
  }
});
