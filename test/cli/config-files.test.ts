// Configs as a user handles them: environment variables, `vmtel validate` output fed back in,
// `vmtel init`, and the files the README's commands name.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixtureModule } from '../helpers/episode-config';
import { tempDir } from '../helpers/temp-dir';
import { runVmtel } from '../helpers/vmtel-process';

const ROOT = join(__dirname, '..', '..', '..');

function configFile(dir: string, text: string): string {
  const path = join(dir, 'vm.yaml');
  writeFileSync(path, text);
  return path;
}

test('interpolation mistakes are errors with their line; an empty variable is named', async (t) => {
  const dir = tempDir(t);
  const path = configFile(
    dir,
    [
      'vm: ${EMPTY}',
      'episode: $EPISODE',
      'run_dir: runs/${TAP',
      'collectors:',
      '  net:',
      '    interface: ${ TAP }',
      '  host:',
      '    interval_ms: ${INTERVAL}0',
      '',
    ].join('\n'),
  );
  const result = await runVmtel(t, ['validate', '--config', path], 20_000, { EMPTY: '', EPISODE: 'e1', TAP: 'tap0', INTERVAL: '50' });
  assert.equal(result.code, 2);
  const lines = result.stderr.trimEnd().split('\n');
  assert.deepEqual(
    lines.map((line) => line.replace(/^vmtel: .*vm\.yaml:/, '')),
    [
      '1: vm: environment variable EMPTY is set but empty [VMTEL_CONFIG_INVALID]',
      '2: episode: "$EPISODE" is not a reference: write ${EPISODE} for the variable, or $$ for a literal $ [VMTEL_CONFIG_INVALID]',
      '3: run_dir: unclosed "${" in "runs/${TAP": write ${NAME} [VMTEL_CONFIG_INVALID]',
      '6: collectors.net.interface: invalid reference "${ TAP }": write ${TAP} without spaces [VMTEL_CONFIG_INVALID]',
      '8: collectors.host.interval_ms: expected an integer of at least 10 (milliseconds), got "500" (a string), from ${INTERVAL}; a variable is read as an integer only when it is the whole value [VMTEL_CONFIG_INVALID]',
    ],
  );
  assert.ok(!existsSync(join(dir, 'runs')));
});

test('a variable that is the whole value is read as the number (or boolean) the key expects', async (t) => {
  const dir = tempDir(t);
  const path = configFile(dir, 'vm: v\nepisode: ${EP}\ncollectors:\n  host:\n    interval_ms: ${INTERVAL}\n    enabled: ${ON}\n  qmp:\n    interval_ms: ${BAD}\n');
  const bad = await runVmtel(t, ['validate', '--config', path], 20_000, { EP: '007', INTERVAL: '250', ON: 'true', BAD: 'fast' });
  assert.match(bad.stderr, /:8: collectors\.qmp\.interval_ms: expected an integer of at least 10 \(milliseconds\), got "fast" \(a string\), from \$\{BAD\} \[VMTEL_CONFIG_INVALID\]\n$/);
  const good = await runVmtel(t, ['validate', '--config', path], 20_000, { EP: '007', INTERVAL: '250', ON: 'true', BAD: '500' });
  assert.equal(good.code, 0, good.stderr);
  assert.match(good.stdout, /^episode: '007'$/m, 'a string key keeps the text');
  assert.match(good.stdout, /^ {4}interval_ms: 250$/m);
});

test('vmtel validate output is itself a config that resolves to the same thing', async (t) => {
  const dir = tempDir(t);
  const path = configFile(
    dir,
    `vm: v\nepisode: e\nrun_dir: runs/$$HOME\nrestart:\n  max_restarts: 2\ncollectors:\n  guest_agent:\n    connect_timeout_s: 5\n  mine:\n    module: ${fixtureModule('ticking')}\n    interval_ms: 7\n  net:\n    interface: tap0\n    enabled: false\n`,
  );
  const first = await runVmtel(t, ['validate', '--config', path]);
  assert.equal(first.code, 0, first.stderr);
  const resolved = join(dir, 'resolved.yaml');
  writeFileSync(resolved, first.stdout);
  const second = await runVmtel(t, ['validate', '--config', resolved]);
  assert.equal(second.code, 0, second.stderr);
  assert.equal(second.stdout, first.stdout);
  assert.match(first.stdout, /^run_dir: .*\/runs\/\$\$HOME$/m, 'a literal $ stays literal when read back');
  assert.match(first.stdout, /^ {2}mine:\n {4}module: \/.*ticking\.js\n {4}enabled: true\n/m, 'a module entry has no kind');
});

test('vmtel init writes a commented config that validates, and never over an existing file', async (t) => {
  const dir = tempDir(t);
  const out = join(dir, 'vm7.yaml');
  const init = await runVmtel(t, ['init', '--vm', 'vm7', '--out', out]);
  assert.equal(init.code, 0, init.stderr);
  const text = readFileSync(out, 'utf8');
  assert.match(text, /^vm: vm7$/m);
  assert.match(text, /^ {4}interface: tap-vm7$/m);
  assert.match(text, /^ {4}# connect_timeout_s: 30$/m, 'defaults shown, commented');
  // Each option is explained above it, with its kind of value.
  assert.match(text, /^ {4}# how long to retry the first connection before giving up with qmp_connect_failed \[a positive number \(seconds\)\]\n {4}# connect_timeout_s: 30$/m);
  const validate = await runVmtel(t, ['validate', '--config', out]);
  assert.equal(validate.code, 0, validate.stderr);
  for (const kind of ['guest_agent', 'qmp', 'qemu_process', 'host', 'net']) assert.match(validate.stdout, new RegExp(`^ {2}${kind}:$`, 'm'));

  // Uncommenting every line of the restart block gives a valid config too.
  writeFileSync(out, text.replace(/^# (restart:|  )/gm, '$1'));
  assert.match(readFileSync(out, 'utf8'), /^restart:\n {2}# restarts/m);
  assert.equal((await runVmtel(t, ['validate', '--config', out])).code, 0);

  const again = await runVmtel(t, ['init', '--vm', 'vm7', '--out', out]);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /^vmtel: --out: cannot write .*vm7\.yaml: EEXIST \(it exists; --force replaces it\) \[VMTEL_USAGE\]\n$/);
});

test("the README's commands name config files that exist or that an earlier command writes", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const written = new Set([...readme.matchAll(/init .*--out (\S+)/g)].map((match) => match[1]!));
  const named = [...readme.matchAll(/(?:--config |-c |VMTEL_CONFIG=)(\S+)/g)].map((match) => match[1]!).filter((file) => !file.includes('FILE'));
  assert.ok(named.length >= 3, 'the README shows commands with configs');
  for (const file of named) assert.ok(existsSync(join(ROOT, file)) || written.has(file), `${file} exists or is written by vmtel init`);
});
