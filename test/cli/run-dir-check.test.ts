// The run dir is checked before anything starts, by `validate` and by `run`, driven as a user
// would: every way a run dir cannot be one, or is not the running user's own, is one line with
// its code and exit 2, never a spin, a crash or an exit 0, and nothing is written.
import assert from 'node:assert/strict';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixtureModule } from '../helpers/episode-config';
import { tempDir } from '../helpers/temp-dir';
import { runVmtel } from '../helpers/vmtel-process';

function writeConfig(dir: string, runDir: string, extra = ''): string {
  const path = join(dir, 'vm.yaml');
  writeFileSync(path, `vm: testvm\nepisode: ep1\nrun_dir: '${runDir}'\nlog_level: warn\n${extra}collectors:\n  tick:\n    module: ${fixtureModule('ticking')}\n`);
  return path;
}

interface Case {
  what: string;
  /** Sets the case up in `dir`; returns the run dir and, for --run-dir, the argument. */
  arrange(dir: string): { runDir: string; runDirArg?: string };
  code: string;
  message: RegExp;
  rootOnly?: boolean;
  /** The commands that take the case (only `run` has --run-dir). */
  commands?: ReadonlyArray<'validate' | 'run'>;
}

const CASES: Case[] = [
  { what: 'a run dir under /proc', arrange: () => ({ runDir: '/proc/vmtel-x' }), code: 'VMTEL_RUN_DIR_INVALID', message: /is on proc, a kernel file system/ },
  { what: 'a run dir under /sys', arrange: () => ({ runDir: '/sys/vmtel-x' }), code: 'VMTEL_RUN_DIR_INVALID', message: /is on sysfs/ },
  {
    what: 'a regular file',
    arrange: (dir) => {
      writeFileSync(join(dir, 'file'), 'not a folder\n');
      return { runDir: join(dir, 'file') };
    },
    code: 'VMTEL_RUN_DIR_INVALID',
    message: /is not a folder/,
  },
  {
    what: 'a run dir whose parent is a regular file',
    arrange: (dir) => {
      writeFileSync(join(dir, 'file'), 'not a folder\n');
      return { runDir: join(dir, 'file', 'run') };
    },
    code: 'VMTEL_RUN_DIR_INVALID',
    message: /cannot be created: .*file is not a folder/,
  },
  { what: 'an empty --run-dir', arrange: (dir) => ({ runDir: join(dir, 'run'), runDirArg: '' }), code: 'VMTEL_RUN_DIR_INVALID', message: /--run-dir: expected a folder, got an empty string/, commands: ['run'] },
  {
    what: 'a run dir writable by its group',
    arrange: (dir) => {
      mkdirSync(join(dir, 'run'));
      chmodSync(join(dir, 'run'), 0o770);
      return { runDir: join(dir, 'run') };
    },
    code: 'VMTEL_RUN_DIR_UNSAFE',
    message: /is writable by its group \(mode 770\)/,
  },
  {
    what: 'a run dir writable by everyone (a shared /tmp-like folder)',
    arrange: (dir) => {
      mkdirSync(join(dir, 'run'));
      chmodSync(join(dir, 'run'), 0o1777);
      return { runDir: join(dir, 'run') };
    },
    code: 'VMTEL_RUN_DIR_UNSAFE',
    message: /writable by/,
  },
  {
    what: "another user's run dir",
    rootOnly: true,
    arrange: (dir) => {
      mkdirSync(join(dir, 'run'), { mode: 0o755 });
      chownSync(join(dir, 'run'), 65534, 65534);
      return { runDir: join(dir, 'run') };
    },
    code: 'VMTEL_RUN_DIR_UNSAFE',
    message: /belongs to uid 65534/,
  },
];

for (const c of CASES) {
  for (const command of c.commands ?? (['validate', 'run'] as const)) {
    const skip = c.rootOnly === true && process.geteuid?.() !== 0 ? 'chown to another user needs root' : false;
    test(`vmtel ${command}: ${c.what} is one line with ${c.code}, exit 2, nothing written`, { skip }, async (t) => {
      const dir = tempDir(t);
      const { runDir, runDirArg } = c.arrange(dir);
      const config = writeConfig(dir, runDir);
      const before = readdirSync(dir).sort();
      const args = [command, '--config', config, ...(runDirArg === undefined ? [] : ['--run-dir', runDirArg])];
      const { code, stdout, stderr } = await runVmtel(t, args);
      assert.equal(code, 2, stderr);
      assert.equal(stdout, '');
      const lines = stderr.split('\n').slice(0, -1);
      assert.equal(lines.length, 1, stderr);
      assert.match(lines[0]!, new RegExp(`^vmtel: .*\\[${c.code}\\]$`));
      assert.match(lines[0]!, c.message);
      assert.deepEqual(readdirSync(dir).sort(), before, 'nothing created beside the config');
      if (existsSync(runDir) && statSync(runDir).isDirectory()) assert.deepEqual(readdirSync(runDir), [], 'nothing written into the run dir');
    });
  }
}

test('dir_mode that grants group write accepts a group-writable run dir; new files get file_mode', async (t) => {
  const dir = tempDir(t);
  const runDir = join(dir, 'run');
  mkdirSync(runDir);
  chmodSync(runDir, 0o770);
  const config = writeConfig(dir, runDir, "dir_mode: '0770'\nfile_mode: '0600'\n");
  const { code, stderr } = await runVmtel(t, ['run', '--config', config, '--duration', '0.3']);
  assert.equal(code, 0, stderr);
  for (const file of ['events.jsonl', 'episode.json', 'vmtel.log', 'telemetry-tick.jsonl']) {
    assert.equal(statSync(join(runDir, file)).mode & 0o777, 0o600, file);
  }
});

test('a new run dir is 0750 and its files 0640 by default', async (t) => {
  const dir = tempDir(t);
  const runDir = join(dir, 'a', 'run');
  const config = writeConfig(dir, runDir);
  const { code, stderr } = await runVmtel(t, ['run', '--config', config, '--duration', '0.3']);
  assert.equal(code, 0, stderr);
  assert.equal(statSync(runDir).mode & 0o7777, 0o750);
  for (const file of ['events.jsonl', 'episode.json', 'vmtel.log', 'telemetry-tick.jsonl']) {
    assert.equal(statSync(join(runDir, file)).mode & 0o777, 0o640, file);
  }
});
