// Argument errors as a user meets them: each is one line `vmtel: ... [VMTEL_USAGE]`, exit 2,
// naming the option or command meant when there is a close one.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixtureModule } from '../helpers/episode-config';
import { readJsonl } from '../helpers/jsonl';
import { tempDir } from '../helpers/temp-dir';
import { runVmtel, startVmtel } from '../helpers/vmtel-process';
import { waitFor, withDeadline } from '../helpers/wait-for';

const USAGE_CASES: Array<{ args: string[]; line: RegExp }> = [
  { args: ['run', '-c', 'x.yaml', '--durration', '5'], line: /^vmtel: unknown option --durration; did you mean --duration\? \[VMTEL_USAGE\]$/ },
  { args: ['sumary', 'runs/x'], line: /^vmtel: unknown command or argument "sumary"; did you mean "summary"\? \[VMTEL_USAGE\]$/ },
  { args: ['frobnicate'], line: /^vmtel: unknown command or argument "frobnicate"; commands are run, check, .*completion \[VMTEL_USAGE\]$/ },
  { args: ['run', '-c', 'x.yaml', '--log-level', 'verbose'], line: /^vmtel: --log-level: expected one of error, warn, info, debug, got "verbose" \[VMTEL_USAGE\]$/ },
  { args: ['run', '-c', 'x.yaml', '--log-level', 'warm'], line: /^vmtel: --log-level: expected one of .*, got "warm"; did you mean "warn"\? \[VMTEL_USAGE\]$/ },
  { args: ['validate', '-c'], line: /^vmtel: -c: expected a value after it, got none \[VMTEL_USAGE\]$/ },
  { args: ['run'], line: /^vmtel: missing required option --config \[VMTEL_USAGE\]$/ },
  { args: ['run', '-c', 'x.yaml', '--duration', '2147484'], line: /^vmtel: --duration: expected a positive number of seconds, at most 2147483, got 2147484 \[VMTEL_USAGE\]$/ },
  { args: ['run', '-c', 'x.yaml', '--duration', '1e9'], line: /^vmtel: --duration: .* got 1000000000 \[VMTEL_USAGE\]$/ },
  { args: ['run', '-c', 'x.yaml', '--duration', '0'], line: /^vmtel: --duration: .* got 0 \[VMTEL_USAGE\]$/ },
  { args: ['run', '-c', 'x.yaml', '--duration', 'ten'], line: /^vmtel: --duration: .* got something that is not a number \[VMTEL_USAGE\]$/ },
];

for (const { args, line } of USAGE_CASES) {
  test(`vmtel ${args.join(' ')}: one line, exit 2`, async (t) => {
    const result = await runVmtel(t, args);
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr.split('\n').length, 2, `exactly one line:\n${result.stderr}`);
    assert.match(result.stderr.trimEnd(), line);
  });
}

test('--duration at its maximum runs: no timer overflow ends the episode early', async (t) => {
  const dir = tempDir(t);
  const config = join(dir, 'vm.yaml');
  writeFileSync(config, `vm: v\nepisode: e\nrun_dir: run\nlog_level: warn\ncollectors:\n  tick:\n    module: ${fixtureModule('ticking')}\n    interval_ms: 50\n`);
  const vmtel = startVmtel(t, ['run', '--config', config, '--duration', '2147483']);
  const rows = join(dir, 'run', 'telemetry-tick.jsonl');
  // 20 rows at 50 ms: the episode has run a second, ten times what the overflowed timer allowed.
  await waitFor('a second of rows', () => readJsonl(rows).length >= 20, 15_000);
  assert.equal(vmtel.child.exitCode, null, 'still running');
  vmtel.child.kill('SIGTERM');
  assert.equal(await withDeadline('vmtel to stop', vmtel.exited, 10_000), 0);
  assert.doesNotMatch(vmtel.stderr(), /TimeoutOverflowWarning|Timeout duration/);
  const stop = readJsonl(join(dir, 'run', 'events.jsonl')).find((e) => e['event'] === 'stop_requested');
  assert.equal(stop?.['reason'], 'signal');
});

test('validate -c with no value reads nothing: no EISDIR on "."', async (t) => {
  const result = await runVmtel(t, ['validate', '-c']);
  assert.doesNotMatch(result.stderr, /EISDIR/);
  assert.ok(!existsSync(join(tempDir(t), 'runs')));
});

test('vmtel completion prints a shell script; completion of options works for a command', async (t) => {
  const script = await runVmtel(t, ['completion']);
  assert.equal(script.code, 0, script.stderr);
  assert.match(script.stdout, /###-begin-vmtel-completions-###/);
  assert.match(script.stdout, /--get-yargs-completions/);
  const commands = await runVmtel(t, ['--get-yargs-completions', 'vmtel', '']);
  for (const name of ['run', 'check', 'validate', 'init', 'summary', 'sim']) assert.match(commands.stdout, new RegExp(`^${name}$`, 'm'));
  const options = await runVmtel(t, ['--get-yargs-completions', 'vmtel', 'run', '--du']);
  assert.match(options.stdout, /^--duration$/m);
});

test('--help reads as a manual: commands, exit codes, environment, where the docs are', async (t) => {
  const top = await runVmtel(t, ['--help']);
  assert.equal(top.code, 0);
  for (const part of [/^Commands:$/m, /vmtel check/, /vmtel init/, /^Exit codes:$/m, /^ {2}2 {2}a bad config or bad arguments/m, /^Environment:$/m, /docs\/errors\.md/]) {
    assert.match(top.stdout, part);
  }
  const run = await runVmtel(t, ['run', '--help']);
  assert.match(run.stdout, /--duration .*at most 2147483/);
  assert.match(run.stdout, /^Examples:$/m);
});
