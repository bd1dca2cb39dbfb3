// ecosystem.config.js and the apps it declares: one per VM from VMTEL_CONFIG or VMTEL_CONFIG_DIR,
// names, run-dir logs, kill timeout from stop_grace_ms, and an app even for a broken file.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../../src/config/config-error';
import { loadConfig } from '../../src/config/load-config';
import { VmtelError } from '../../src/errors';
import { ecosystemApps } from '../../src/pm2/ecosystem-apps';
import { REPO_DIR } from '../helpers/pm2';
import { tempDir } from '../helpers/temp-dir';

const COLLECTORS = 'collectors:\n  host: {}\n';

function writeYaml(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

test('VMTEL_CONFIG gives one app, vmtel run on that file, logs in its run dir', (t) => {
  const dir = tempDir(t);
  const config = writeYaml(dir, 'a.yaml', `vm: lab1\nepisode: ep7\n${COLLECTORS}`);
  const apps = ecosystemApps({ env: { VMTEL_CONFIG: 'a.yaml' }, cwd: dir, repoDir: REPO_DIR });
  const runDir = join(dir, 'runs', 'lab1', 'ep7');
  assert.deepEqual(apps, [
    {
      name: 'vmtel-lab1',
      script: join(REPO_DIR, 'dist', 'bundle', 'vmtel.js'),
      args: ['run', '--config', config, '--done-exit-code', '3'],
      interpreter: 'node',
      exec_mode: 'fork',
      instances: 1,
      cwd: REPO_DIR,
      autorestart: true,
      stop_exit_codes: [3, 2, 4],
      kill_timeout: 5000,
      exp_backoff_restart_delay: 500,
      min_uptime: 5000,
      max_restarts: 10,
      treekill: false,
      pmx: false,
      vizion: false,
      watch: false,
      merge_logs: true,
      time: false,
      out_file: join(runDir, 'pm2-out.log'),
      error_file: join(runDir, 'pm2-error.log'),
    },
  ]);
  assert.ok(existsSync(apps[0]?.script ?? ''), 'the compiled CLI is not where the app points');
});

test('kill_timeout follows stop_grace_ms; run_dir is read with ${NAME} from the environment', (t) => {
  const dir = tempDir(t);
  writeYaml(dir, 'b.yaml', `vm: lab2\nepisode: ep1\nstop_grace_ms: 10000\nrun_dir: \${BASE}/b\n${COLLECTORS}`);
  const [app] = ecosystemApps({ env: { VMTEL_CONFIG: join(dir, 'b.yaml'), BASE: '/data/x' }, cwd: '/', repoDir: REPO_DIR });
  assert.equal(app?.kill_timeout, 12_000);
  assert.equal(app?.error_file, '/data/x/b/pm2-error.log');
});

test('with ship:, kill_timeout leaves room for the drain (drain_timeout_s, 30 s by default)', (t) => {
  const dir = tempDir(t);
  writeYaml(dir, 's.yaml', `vm: s1\nepisode: ep1\nstop_grace_ms: 1000\n${COLLECTORS}ship:\n  nats:\n    servers: [nats://a:4222]\n    drain_timeout_s: 7\n`);
  writeYaml(dir, 'd.yaml', `vm: s2\nepisode: ep1\nstop_grace_ms: 1000\n${COLLECTORS}ship:\n  nats:\n    servers: [nats://a:4222]\n`);
  const apps = ecosystemApps({ env: { VMTEL_CONFIG_DIR: dir }, cwd: '/', repoDir: REPO_DIR });
  assert.deepEqual(apps.map((app) => [app.name, app.kill_timeout]), [
    ['vmtel-s2', 1000 + 30_000 + 2000],
    ['vmtel-s1', 1000 + 7000 + 2000],
  ]);
});

test('VMTEL_CONFIG_DIR gives an app per YAML file, in name order; other files are ignored', (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'vms'));
  writeYaml(join(dir, 'vms'), 'z.yaml', `vm: zed\nepisode: e\n${COLLECTORS}`);
  writeYaml(join(dir, 'vms'), 'a.yml', `vm: alpha\nepisode: e\n${COLLECTORS}`);
  writeYaml(join(dir, 'vms'), 'notes.txt', 'not a config');
  const apps = ecosystemApps({ env: { VMTEL_CONFIG_DIR: 'vms' }, cwd: dir, repoDir: REPO_DIR });
  assert.deepEqual(apps.map((app) => [app.name, app.args[2]]), [
    ['vmtel-alpha', join(dir, 'vms', 'a.yml')],
    ['vmtel-zed', join(dir, 'vms', 'z.yaml')],
  ]);
});

test('a broken or missing file still gets its app, named after the file, logging where pm2 logs', (t) => {
  const dir = tempDir(t);
  const cases = [
    ['not YAML', writeYaml(dir, 'bad-yaml.yaml', 'vm: [unclosed\n'), 'vmtel-bad-yaml'],
    ['missing', join(dir, 'gone.yaml'), 'vmtel-gone'],
    ['vm invalid', writeYaml(dir, 'bad-vm.yaml', `vm: "two words"\nepisode: e\n${COLLECTORS}`), 'vmtel-bad-vm'],
    ['unset variable', writeYaml(dir, 'unset.yaml', `vm: unset\nepisode: \${NO_SUCH_VARIABLE}\n${COLLECTORS}`), 'vmtel-unset'],
  ] as const;
  for (const [what, path, name] of cases) {
    const [app] = ecosystemApps({ env: { VMTEL_CONFIG: path }, cwd: dir, repoDir: REPO_DIR });
    assert.equal(app?.name, name, what);
    assert.deepEqual(app?.args, ['run', '--config', path, '--done-exit-code', '3'], what);
    assert.equal(app?.error_file, undefined, `${what}: no run dir to log into`);
    assert.equal(app?.kill_timeout, 5000, what);
  }
});

test('two files naming one VM are refused with the second file\'s vm line', (t) => {
  const dir = tempDir(t);
  writeYaml(dir, 'a.yaml', `vm: twin\nepisode: e\n${COLLECTORS}`);
  const second = writeYaml(dir, 'b.yaml', `# the same VM again\nvm: twin\nepisode: f\n${COLLECTORS}`);
  assert.throws(
    () => ecosystemApps({ env: { VMTEL_CONFIG_DIR: dir }, cwd: '/', repoDir: REPO_DIR }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.deepEqual(err.problems, [
        { file: second, line: 2, keyPath: 'vm', message: `pm2 app vmtel-twin is already ${join(dir, 'a.yaml')}'s; each VM needs a name of its own` },
      ]);
      return true;
    },
  );
});

test('a config folder without YAML files, or none at all, is VMTEL_CONFIG_UNREADABLE', (t) => {
  const dir = tempDir(t);
  for (const env of [{ VMTEL_CONFIG_DIR: dir }, { VMTEL_CONFIG_DIR: join(dir, 'nowhere') }]) {
    assert.throws(
      () => ecosystemApps({ env, cwd: '/', repoDir: REPO_DIR }),
      (err: unknown) => err instanceof VmtelError && err.code === 'VMTEL_CONFIG_UNREADABLE' && err.message.includes(env.VMTEL_CONFIG_DIR),
    );
  }
});

test('every app key is one the installed pm2 knows', () => {
  const schemaPath = join(REPO_DIR, 'node_modules', 'pm2', 'lib', 'API', 'schema.json');
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, { alias?: string | string[] }>;
  // A key is known by its own name or as an alias (`interpreter` for exec_interpreter).
  const known = new Set(Object.entries(schema).flatMap(([key, spec]) => [key, ...[spec.alias ?? []].flat()]));
  const [app] = ecosystemApps({ env: {}, cwd: '/', repoDir: REPO_DIR });
  assert.deepEqual(Object.keys(app ?? {}).filter((key) => !known.has(key)), []);
});

test('ecosystem.config.js loads as pm2 loads it; the default folder holds a valid example VM', async () => {
  const loaded = execFileSync(process.execPath, ['-e', 'process.stdout.write(JSON.stringify(require("./ecosystem.config.js")))'], {
    cwd: REPO_DIR,
    env: { PATH: process.env['PATH'], VMTEL_EPISODE: 'ep1' },
    encoding: 'utf8',
  });
  const { apps } = JSON.parse(loaded) as { apps: Array<{ name: string; args: string[] }> };
  assert.deepEqual(apps.map((app) => app.name), ['vmtel-example-vm1']);
  const example = join(REPO_DIR, 'config', 'vms', 'example-vm1.yaml');
  assert.deepEqual(apps[0]?.args, ['run', '--config', example, '--done-exit-code', '3']);
  const config = await loadConfig(example, { env: { VMTEL_EPISODE: 'ep1' } });
  assert.equal(config.vm, 'example-vm1');
  assert.equal(config.runDir, join(REPO_DIR, 'config', 'vms', 'runs', 'example-vm1', 'ep1'));
});
