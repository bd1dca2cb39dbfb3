// What a valid config becomes: defaults filled, every path absolute and resolved against the
// right folder, overrides winning, `${NAME}` replaced, and the resolved YAML printable.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { load } from 'js-yaml';
import { REPORT_SCHEMA } from '../../src/config/report-keys';
import { loadConfig } from '../../src/config/load-config';
import { renderResolvedYaml } from '../../src/config/resolved-yaml';
import { VmtelError } from '../../src/errors';
import { FIXTURE_MODULE, writeConfig } from '../fixtures/config/config-file';
import { tempDir } from '../helpers/temp-dir';

const HEAD = 'vm: vm1\nepisode: e1\n';

test('`collectors: {guest_agent: {}}` is a complete config: every default filled', async (t) => {
  const path = writeConfig(t, `${HEAD}collectors: {guest_agent: {}}\n`);
  const config = await loadConfig(path, { env: {} });
  const runDir = join(dirname(path), 'runs', 'vm1', 'e1');
  // The documented defaults of guest_agent (docs/configuration.md), written out rather than read
  // from the option specs: a changed default must fail here; the socket is made absolute in the run dir.
  const options = {
    socket: join(runDir, 'agent.sock'),
    connect_timeout_s: 30,
    silent_warn_after_s: 5,
    stall_warn_after_s: 10,
    reconnect: true,
    max_line_bytes: 1024 * 1024,
    max_depth: 32,
    clock_step_threshold_ms: 500,
  };
  assert.deepEqual(config, {
    configPath: path,
    digest: createHash('sha256').update(readFileSync(path)).digest('hex'),
    vm: 'vm1',
    episode: 'e1',
    runDir,
    labels: {},
    fileMode: 0o640,
    dirMode: 0o750,
    logLevel: 'info',
    stopGraceMs: 3000,
    unresponsiveAfterMs: 10000,
    restart: { maxRestarts: 5, initialDelayMs: 500, maxDelayMs: 30000, resetAfterMs: 60000 },
    collectors: [
      {
        name: 'guest_agent',
        kind: 'guest_agent',
        enabled: true,
        output: join(runDir, 'telemetry-guest.jsonl'),
        available_in_deployment: true,
        flush_ms: 100,
        max_heap_mb: 512,
        options,
      },
    ],
    resolved: {
      vm: 'vm1',
      episode: 'e1',
      run_dir: runDir,
      labels: {},
      log_level: 'info',
      stop_grace_ms: 3000,
      flush_ms: 100,
      unresponsive_after_ms: 10000,
      file_mode: '0640',
      dir_mode: '0750',
      restart: { max_restarts: 5, initial_delay_ms: 500, max_delay_ms: 30000, reset_after_ms: 60000 },
      report: Object.fromEntries(Object.entries(REPORT_SCHEMA).map(([key, spec]) => [key, spec.default])),
      collectors: {
        guest_agent: {
          kind: 'guest_agent',
          enabled: true,
          output: join(runDir, 'telemetry-guest.jsonl'),
          available_in_deployment: true,
          flush_ms: 100,
          max_heap_mb: 512,
          ...options,
        },
      },
    },
  });
});

test('labels of every scalar kind are the episode\'s, as given, in the config and in its resolved form', async (t) => {
  const labels = { workload: 'miner-v2', malicious: true, trial: 3, rate: 0.5 };
  const config = await loadConfig(writeConfig(t, `${HEAD}labels:\n  workload: miner-v2\n  malicious: true\n  trial: 3\n  rate: 0.5\ncollectors:\n  host:\n`), { env: {} });
  assert.deepEqual(config.labels, labels);
  assert.deepEqual(config.resolved['labels'], labels);
  const thirtyTwo = Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`l${i}`, i]));
  const full = await loadConfig(writeConfig(t, `${HEAD}labels:\n${Object.keys(thirtyTwo).map((key, i) => `  ${key}: ${i}\n`).join('')}collectors:\n  host:\n`), { env: {} });
  assert.deepEqual(full.labels, thirtyTwo, '32 labels are allowed');
});

test('an entry with nothing after it takes every default, like an empty mapping', async (t) => {
  const head = `${HEAD}run_dir: /r\ncollectors:\n`;
  const bare = await loadConfig(writeConfig(t, `${head}  guest_agent:\n`), { env: {} });
  const empty = await loadConfig(writeConfig(t, `${head}  guest_agent: {}\n`), { env: {} });
  assert.deepEqual(bare.collectors, empty.collectors);
  assert.equal(bare.collectors[0]?.options['socket'], '/r/agent.sock');
});

test('a module entry: options checked and defaulted, paths resolved against run dir or config folder', async (t) => {
  const path = writeConfig(t, `${HEAD}run_dir: ../out\nflush_ms: 250\ncollectors:\n  fx:\n    module: ${FIXTURE_MODULE}\n    target: in/t.sock\n    tags: []\n`);
  const config = await loadConfig(path, { env: {} });
  const runDir = resolve(dirname(path), '..', 'out');
  assert.equal(config.runDir, runDir);
  assert.deepEqual(config.collectors, [
    {
      name: 'fx',
      kind: 'fixture',
      module: FIXTURE_MODULE,
      enabled: true,
      output: join(runDir, 'telemetry-fx.jsonl'),
      available_in_deployment: true,
      flush_ms: 250,
      max_heap_mb: 256,
      options: {
        target: join(runDir, 'in', 't.sock'),
        interval_ms: 1000,
        ratio: 0.5,
        mode: 'fast',
        label: 'x',
        tags: [],
        verbose: false,
        notes: join(dirname(path), 'notes.txt'),
      },
    },
  ]);
  assert.equal((config.resolved['collectors'] as Record<string, { module?: string }>)['fx']?.module, FIXTURE_MODULE);
});

test('a relative module path resolves against the config folder, not the current directory', async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'cfg', 'lib'), { recursive: true });
  const modulePath = join(dir, 'cfg', 'lib', 'mine.js');
  writeFileSync(modulePath, `module.exports = require(${JSON.stringify(FIXTURE_MODULE)});\n`);
  const path = join(dir, 'cfg', 'vm1.yaml');
  writeFileSync(path, `${HEAD}collectors:\n  mine:\n    module: lib/mine.js\n    target: t\n`);
  const config = await loadConfig(path, { env: {} });
  assert.equal(config.collectors[0]?.module, modulePath);
  assert.equal(config.collectors[0]?.kind, 'fixture');
});

test('entry keys override the defaults; a disabled entry is kept and may share an output file', async (t) => {
  const yaml = [
    HEAD + 'log_level: debug',
    'stop_grace_ms: 100',
    'restart: {max_restarts: 0, initial_delay_ms: 10, max_delay_ms: 20, reset_after_ms: 30}',
    'collectors:',
    '  host:',
    '    output: /var/tmp/h.jsonl',
    '    available_in_deployment: true',
    '    flush_ms: 7',
    '  spare:',
    '    kind: host',
    '    enabled: false',
    '    output: /var/tmp/h.jsonl',
    '',
  ].join('\n');
  const config = await loadConfig(writeConfig(t, yaml), { env: {} });
  assert.equal(config.logLevel, 'debug');
  assert.equal(config.stopGraceMs, 100);
  assert.deepEqual(config.restart, { maxRestarts: 0, initialDelayMs: 10, maxDelayMs: 20, resetAfterMs: 30 });
  assert.deepEqual(
    config.collectors.map(({ name, enabled, output, available_in_deployment, flush_ms }) => ({ name, enabled, output, available_in_deployment, flush_ms })),
    [
      { name: 'host', enabled: true, output: '/var/tmp/h.jsonl', available_in_deployment: true, flush_ms: 7 },
      { name: 'spare', enabled: false, output: '/var/tmp/h.jsonl', available_in_deployment: false, flush_ms: 100 },
    ],
  );
});

test('--run-dir and --log-level win over the file, and show in the resolved config', async (t) => {
  const path = writeConfig(t, `${HEAD}run_dir: /nowhere\nlog_level: error\ncollectors:\n  host:\n`);
  const config = await loadConfig(path, { env: {}, runDir: 'rel/run', logLevel: 'debug' });
  // A command-line path is the user's, taken from where they stand.
  assert.equal(config.runDir, resolve('rel/run'));
  assert.equal(config.logLevel, 'debug');
  assert.equal(config.collectors[0]?.output, join(resolve('rel/run'), 'telemetry-host.jsonl'));
  assert.equal(config.resolved['run_dir'], resolve('rel/run'));
  assert.equal(config.resolved['log_level'], 'debug');
});

test('a whole ${NAME} in a number key is read as a number, found by its key path', async (t) => {
  const config = await loadConfig(writeConfig(t, `${HEAD}flush_ms: \${FLUSH}\ncollectors:\n  host:\n    interval_ms: \${TICK}\n`), { env: { FLUSH: '250', TICK: '2000' } });
  assert.equal(config.resolved['flush_ms'], 250);
  assert.deepEqual([config.collectors[0]?.flush_ms, config.collectors[0]?.options['interval_ms']], [250, 2000]);
});

test('${NAME} takes the variable from overrides.env, or from process.env', async (t) => {
  const path = writeConfig(t, 'vm: ${VM}\nepisode: ep-${RUN}-${RUN}\nrun_dir: $$HOME/${ROOT}/$5\ncollectors:\n  host:\n');
  const config = await loadConfig(path, { env: { VM: 'win10', RUN: '7', ROOT: 'r' } });
  assert.equal(config.vm, 'win10');
  assert.equal(config.episode, 'ep-7-7');
  // $$ is a literal $; a $ not followed by a name or a brace is itself.
  assert.equal(config.runDir, join(dirname(path), '$HOME', 'r', '$5'));

  process.env['VMTEL_TEST_VM'] = 'from-process';
  t.after(() => delete process.env['VMTEL_TEST_VM']);
  const fromProcess = await loadConfig(writeConfig(t, 'vm: ${VMTEL_TEST_VM}\nepisode: e\ncollectors:\n  host:\n'));
  assert.equal(fromProcess.vm, 'from-process');
});

test('the resolved config prints as YAML that reads back the same, without anchors', async (t) => {
  const fx = (name: string) => `  ${name}:\n    module: ${FIXTURE_MODULE}\n    target: t\n`;
  const config = await loadConfig(writeConfig(t, `${HEAD}collectors:\n${fx('a')}${fx('b')}`), { env: {} });
  const text = renderResolvedYaml(config.resolved);
  // Both entries hold the very same default `tags` list; it must print twice, not as an alias.
  assert.doesNotMatch(text, /[&*]ref/);
  assert.deepEqual(load(text), config.resolved);
  assert.match(text, /^vm: vm1\nepisode: e1\nrun_dir: /);
});

test('a config file that cannot be read is VMTEL_CONFIG_UNREADABLE', async (t) => {
  const path = join(tempDir(t), 'absent.yaml');
  await assert.rejects(loadConfig(path), (err: unknown) => {
    assert.ok(err instanceof VmtelError);
    assert.equal(err.code, 'VMTEL_CONFIG_UNREADABLE');
    assert.match(err.message, /^cannot read config file .*absent\.yaml: ENOENT/);
    return true;
  });
});

test('connect_timeout_s of both socket collectors must be above 0 seconds: 0 is refused, with its unit', async (t) => {
  for (const kind of ['guest_agent', 'qmp']) {
    const path = writeConfig(t, `${HEAD}collectors:\n  ${kind}:\n    connect_timeout_s: 0\n`);
    await assert.rejects(loadConfig(path, { env: {} }), (err: unknown) => {
      assert.ok(err instanceof VmtelError);
      assert.equal(err.code, 'VMTEL_CONFIG_INVALID');
      assert.match(err.message, new RegExp(`:5: collectors\\.${kind}\\.connect_timeout_s: expected a positive number \\(seconds\\), got 0`));
      return true;
    });
  }
});
