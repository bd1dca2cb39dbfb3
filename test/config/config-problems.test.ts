// Every kind of config problem, each with its exact message and line, and all of a file's
// problems in one error: the messages are the loader's user interface.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { BUILT_IN_KIND_NAMES } from '../../src/collectors/registry';
import { loadConfig } from '../../src/config/load-config';
import { VmtelError } from '../../src/errors';
import { FIXTURE_MODULE, problemsOf, writeConfig } from '../fixtures/config/config-file';

const HEAD = 'vm: vm1\nepisode: e1\n';
// A valid entry of the fixture module kind, three lines: `fx:`, its module and its one required option.
const FX = `  fx:\n    module: ${FIXTURE_MODULE}\n    target: t\n`;

interface Case {
  name: string;
  yaml: string;
  problems: string[];
}

const cases: Case[] = [
  {
    name: 'a YAML syntax error, with line and column',
    yaml: 'vm: [vm1\nepisode: e1\n',
    problems: ['vm1.yaml:2: YAML syntax error at column 1: deficient indentation'],
  },
  {
    name: 'two documents in one file: the stream is wrong, not a line',
    yaml: `${HEAD}collectors:\n  host:\n---\nvm: vm2\n`,
    problems: ['vm1.yaml: YAML syntax error: expected a single document in the stream, but found more'],
  },
  {
    name: 'a key given twice, a syntax error on the second',
    yaml: `${HEAD}collectors:\n  host:\nvm: vm2\n`,
    problems: ['vm1.yaml:5: YAML syntax error at column 1: duplicated mapping key'],
  },
  {
    name: 'a top level that is not a mapping',
    yaml: '- vm1\n- e1\n',
    problems: ['vm1.yaml: expected a mapping of settings (vm, episode, collectors, ...), got a list'],
  },
  {
    name: 'an empty file',
    yaml: '# nothing yet\n',
    problems: ['vm1.yaml: expected a mapping of settings (vm, episode, collectors, ...), got nothing'],
  },
  {
    name: 'an unknown top-level key close to a known one',
    yaml: `${HEAD}flush_msec: 50\ncollectors:\n  host:\n`,
    problems: ['vm1.yaml:3: flush_msec: unknown key; did you mean "flush_ms"?'],
  },
  {
    name: 'an unknown key inside a collector',
    yaml: `${HEAD}collectors:\n${FX}    intervl_ms: 500\n`,
    problems: ['vm1.yaml:7: collectors.fx.intervl_ms: unknown key; did you mean "interval_ms"?'],
  },
  {
    name: 'an unknown key like no known one',
    yaml: `${HEAD}restart:\n  colour: blue\ncollectors:\n  host:\n`,
    problems: ['vm1.yaml:4: restart.colour: unknown key; known keys are max_restarts, initial_delay_ms, max_delay_ms, reset_after_ms'],
  },
  {
    // Moved from the qmp collector's own tests: validate refuses it, so no episode ever meets it.
    name: 'qmp queries: an entry that is not a query command, a query twice',
    yaml: `${HEAD}collectors:\n  qmp:\n    queries: [query-status, info-status]\n  qmp2:\n    kind: qmp\n    socket: q2.sock\n    queries: [query-status, quit]\n  qmp3:\n    kind: qmp\n    socket: q3.sock\n    queries: [query-status, query-status]\n`,
    problems: [
      'vm1.yaml:5: collectors.qmp.queries: expected a list of strings, each query-NAME or query-NAME:TARGET, got a list whose item 2 is "info-status" (a string)',
      'vm1.yaml:9: collectors.qmp2.queries: expected a list of strings, each query-NAME or query-NAME:TARGET, got a list whose item 2 is "quit" (a string)',
      'vm1.yaml:13: collectors.qmp3.queries: expected each query at most once, got a list',
    ],
  },
  {
    name: 'qemu_process process_names: a "*" anywhere but at the end',
    yaml: `${HEAD}collectors:\n  qemu_process:\n    process_names: [qemu-kvm, '*qemu']\n`,
    problems: ['vm1.yaml:5: collectors.qemu_process.process_names: expected a list of strings, each a process name, "*" only at its end, got a list whose item 2 is "*qemu" (a string)'],
  },
  {
    name: 'wrong types: a string, a list, a number for a name',
    yaml: `vm: 5\nepisode: e1\nflush_ms: abc\nlog_level: [info]\ncollectors:\n  host:\n`,
    problems: [
      "vm1.yaml:1: vm: expected a string (letters, digits, '_', '.' and '-', starting with a letter or digit), got 5",
      'vm1.yaml:3: flush_ms: expected an integer from 1 to 10000 (milliseconds), got "abc" (a string)',
      'vm1.yaml:4: log_level: expected one of error, warn, info, debug, got a list',
    ],
  },
  {
    name: 'a collectors key that is not a mapping',
    yaml: `${HEAD}collectors: [host]\n`,
    problems: ['vm1.yaml:3: collectors: expected a mapping of collector names to their settings, got a list'],
  },
  {
    name: 'out of range, top level and in a kind option',
    yaml: `${HEAD}stop_grace_ms: 50\ncollectors:\n${FX}    interval_ms: -5\n`,
    problems: [
      'vm1.yaml:3: stop_grace_ms: expected an integer from 100 to 60000 (milliseconds), got 50',
      'vm1.yaml:8: collectors.fx.interval_ms: expected a positive integer (milliseconds), got -5',
    ],
  },
  {
    name: 'a fraction where an integer is expected',
    yaml: `${HEAD}collectors:\n${FX}    flush_ms: 2.5\n    ratio: .inf\n`,
    problems: [
      'vm1.yaml:7: collectors.fx.flush_ms: expected an integer from 1 to 10000 (milliseconds), got 2.5',
      'vm1.yaml:8: collectors.fx.ratio: expected a positive number, got Infinity',
    ],
  },
  {
    name: 'missing vm and collectors',
    yaml: 'episode: e1\n',
    problems: [
      "vm1.yaml: vm: required key is missing; expected a string (letters, digits, '_', '.' and '-', starting with a letter or digit)",
      'vm1.yaml: collectors: required key is missing; expected a mapping of collector names to their settings',
    ],
  },
  {
    name: "a missing required option of a module's kind, on the entry's line",
    yaml: `${HEAD}collectors:\n  fx:\n    module: ${FIXTURE_MODULE}\n`,
    problems: ['vm1.yaml:4: collectors.fx.target: required key is missing; expected a path (relative to the run directory)'],
  },
  {
    name: "wrong values of a module's options, each of its types",
    yaml: [
      HEAD + 'collectors:',
      '  fx:',
      `    module: ${FIXTURE_MODULE}`,
      '    target: t',
      '    ratio: 0',
      '    mode: fats',
      '    label: ABC',
      '    tags: [a, 5]',
      '    verbose: yes',
      '    notes: ""',
      '',
    ].join('\n'),
    problems: [
      'vm1.yaml:7: collectors.fx.ratio: expected a positive number, got 0',
      'vm1.yaml:8: collectors.fx.mode: expected one of fast, slow, got "fats" (a string); did you mean "fast"?',
      'vm1.yaml:9: collectors.fx.label: expected a string (lower-case letters), got "ABC" (a string)',
      'vm1.yaml:10: collectors.fx.tags: expected a list of strings, got a list whose item 2 is 5',
      'vm1.yaml:11: collectors.fx.verbose: expected true or false, got "yes" (a string)',
      'vm1.yaml:12: collectors.fx.notes: expected a path (relative to the config file\'s folder), got "" (a string)',
    ],
  },
  {
    name: 'two enabled collectors writing one file, and one taking the events file',
    yaml: `${HEAD}collectors:\n  host:\n    output: h.jsonl\n  host2:\n    kind: host\n    output: h.jsonl\n  host3:\n    kind: host\n    output: events.jsonl\n`,
    problems: [
      'vm1.yaml:8: collectors.host2.output: duplicate output file RUN/h.jsonl; also used by collectors.host',
      'vm1.yaml:11: collectors.host3.output: duplicate output file RUN/events.jsonl; also used by vmtel itself',
    ],
  },
  {
    name: 'an entry named after no kind and without kind:',
    yaml: `${HEAD}collectors:\n  hots:\n`,
    problems: [
      'vm1.yaml:4: collectors.hots: unknown collector kind "hots" (the entry has no kind: key, so its name is taken as the kind); ' +
        'did you mean "host"? (known kinds are KINDS; or give module: PATH for your own collector)',
    ],
  },
  {
    name: 'an unknown kind: key',
    yaml: `${HEAD}collectors:\n  h:\n    kind: nosuch\n`,
    problems: [
      'vm1.yaml:5: collectors.h.kind: unknown collector kind "nosuch" (known kinds are KINDS; or give module: PATH for your own collector)',
    ],
  },
  {
    name: 'both kind and module',
    yaml: `${HEAD}collectors:\n  h:\n    kind: host\n    module: ${FIXTURE_MODULE}\n    target: t\n`,
    problems: ['vm1.yaml:6: collectors.h.module: expected either kind or module, got both'],
  },
  {
    name: 'a module that does not exist',
    yaml: `${HEAD}collectors:\n  x:\n    module: ./missing.js\n`,
    problems: [
      'vm1.yaml:5: collectors.x.module: cannot load collector module DIR/missing.js: ' +
        "Cannot find module 'DIR/missing.js' [VMTEL_MODULE_INVALID]",
    ],
  },
  {
    name: 'an unset environment variable, reported alone though the value left fails its check too',
    yaml: `vm: vm1\nepisode: \${EPISODE}\nrun_dir: /data/\${RUNS_ROOT}/x\ncollectors:\n  host:\n`,
    problems: [
      'vm1.yaml:2: episode: environment variable EPISODE is not set',
      'vm1.yaml:3: run_dir: environment variable RUNS_ROOT is not set',
    ],
  },
  {
    name: 'only disabled collectors',
    yaml: `${HEAD}collectors:\n  host:\n    enabled: false\n`,
    problems: ['vm1.yaml:3: collectors: expected at least one enabled collector, got only disabled ones'],
  },
  {
    name: 'no collectors at all',
    yaml: `${HEAD}collectors:\n`,
    problems: ['vm1.yaml:3: collectors: expected at least one enabled collector, got none'],
  },
  {
    name: 'a collector entry that is not a mapping, and a name that cannot be a file name',
    yaml: `${HEAD}collectors:\n  host: [1]\n  "a.b": {kind: host}\n`,
    problems: [
      "vm1.yaml:4: collectors.host: expected a mapping of the collector's settings, got a list",
      "vm1.yaml:5: collectors.a.b: invalid collector name; expected letters, digits, '_' and '-', starting with a letter or digit",
    ],
  },
  {
    name: 'a first restart delay longer than the longest',
    yaml: `${HEAD}restart:\n  initial_delay_ms: 40000\ncollectors:\n  host:\n`,
    problems: ['vm1.yaml:4: restart.initial_delay_ms: expected at most max_delay_ms (30000), got 40000'],
  },
  {
    name: 'labels that are not a mapping',
    yaml: `${HEAD}labels: [a, b]\ncollectors:\n  host:\n`,
    problems: ['vm1.yaml:3: labels: expected a mapping of label keys to strings, numbers or booleans, got a list'],
  },
  {
    name: 'labels with a bad key, a nested value, a null and an overlong string, each on its line',
    yaml: `${HEAD}labels:\n  ok: fine\n  1bad: x\n  nested: {a: 1}\n  empty:\n  long: ${'x'.repeat(257)}\ncollectors:\n  host:\n`,
    problems: [
      "vm1.yaml:5: labels.1bad: label key \"1bad\": expected 1 to 64 letters, digits, '_', '.' and '-', starting with a letter or '_'",
      'vm1.yaml:6: labels.nested: expected a string of at most 256 characters without control characters, a finite number or a boolean, got a mapping',
      'vm1.yaml:7: labels.empty: expected a string of at most 256 characters without control characters, a finite number or a boolean, got nothing',
      'vm1.yaml:8: labels.long: expected a string of at most 256 characters without control characters, a finite number or a boolean, got 257 characters',
    ],
  },
  {
    name: 'more labels than an episode may carry: one problem, on the labels key',
    yaml: `${HEAD}labels:\n${Array.from({ length: 33 }, (_, i) => `  l${i}: ${i}\n`).join('')}collectors:\n  host:\n`,
    problems: ['vm1.yaml:3: labels: expected at most 32 labels, got 33'],
  },
  {
    name: 'sections that are not mappings: report, ship, restart, labels',
    yaml: `${HEAD}report: 5\nship: 5\nrestart: 5\nlabels: 5\ncollectors:\n  host:\n`,
    problems: [
      'vm1.yaml:3: report: expected a mapping of report thresholds, got 5',
      'vm1.yaml:4: ship: expected a mapping with a nats: entry, got 5',
      'vm1.yaml:5: restart: expected a mapping of restart settings, got 5',
      'vm1.yaml:6: labels: expected a mapping of label keys to strings, numbers or booleans, got 5',
    ],
  },
  {
    name: 'restart: a delay out of its range, with its unit',
    yaml: `${HEAD}restart:\n  initial_delay_ms: 0\ncollectors:\n  host:\n`,
    problems: ['vm1.yaml:4: restart.initial_delay_ms: expected an integer from 1 to 3600000 (milliseconds), got 0'],
  },
  {
    name: 'restart: a first delay longer than the longest',
    yaml: `${HEAD}restart:\n  initial_delay_ms: 501\n  max_delay_ms: 500\ncollectors:\n  host:\n`,
    problems: ['vm1.yaml:4: restart.initial_delay_ms: expected at most max_delay_ms (500), got 501'],
  },
  {
    name: 'labels: a value that is not a scalar, a key with a space; each on its own line',
    yaml: `${HEAD}labels:\n  family: [1]\n  "bad key": x\ncollectors:\n  host:\n`,
    problems: [
      'vm1.yaml:4: labels.family: expected a string of at most 256 characters without control characters, a finite number or a boolean, got a list',
      'vm1.yaml:5: labels.bad key: label key "bad key": expected 1 to 64 letters, digits, \'_\', \'.\' and \'-\', starting with a letter or \'_\'',
    ],
  },
  {
    name: 'names with a character before or after the allowed ones',
    yaml: `vm: -vm1\nepisode: e1/x\ncollectors:\n  host:\n`,
    problems: [
      "vm1.yaml:1: vm: expected a string (letters, digits, '_', '.' and '-', starting with a letter or digit), got \"-vm1\" (a string)",
      "vm1.yaml:2: episode: expected a string (letters, digits, '_', '.' and '-', starting with a letter or digit), got \"e1/x\" (a string)",
    ],
  },
  {
    name: 'file_mode: a digit too many',
    yaml: `${HEAD}file_mode: '10640'\ncollectors:\n  host:\n`,
    problems: ["vm1.yaml:3: file_mode: expected a string (an octal mode such as '0640' (quoted)), got \"10640\" (a string)"],
  },
  {
    name: 'file_mode: text after the mode',
    yaml: `${HEAD}file_mode: '0640x'\ncollectors:\n  host:\n`,
    problems: ["vm1.yaml:3: file_mode: expected a string (an octal mode such as '0640' (quoted)), got \"0640x\" (a string)"],
  },
  {
    name: 'values described by kind: a boolean, a mapping',
    yaml: `vm: true\nepisode: {a: 1}\ncollectors:\n  host:\n`,
    problems: [
      "vm1.yaml:1: vm: expected a string (letters, digits, '_', '.' and '-', starting with a letter or digit), got true (a boolean)",
      "vm1.yaml:2: episode: expected a string (letters, digits, '_', '.' and '-', starting with a letter or digit), got a mapping",
    ],
  },
  {
    name: 'an unknown kind close to a known one, and one like none',
    yaml: `${HEAD}collectors:\n  x:\n    kind: hots\n  y:\n    kind: zzzzzzzz\n`,
    problems: [
      'vm1.yaml:5: collectors.x.kind: unknown collector kind "hots"; did you mean "host"? (known kinds are KINDS; or give module: PATH for your own collector)',
      'vm1.yaml:7: collectors.y.kind: unknown collector kind "zzzzzzzz" (known kinds are KINDS; or give module: PATH for your own collector)',
    ],
  },
  {
    name: 'kind or module given with no value',
    yaml: `${HEAD}collectors:\n  x:\n    kind:\n  y:\n    module:\n`,
    problems: ['vm1.yaml:5: collectors.x.kind: expected a string, got nothing', "vm1.yaml:7: collectors.y.module: expected a path (relative to the config file's folder), got nothing"],
  },
  {
    name: 'labels: more than 32, a problem of the whole map on its line',
    yaml: `${HEAD}labels:\n${Array.from({ length: 33 }, (_, i) => `  k${i}: ${i}\n`).join('')}collectors:\n  host:\n`,
    problems: ['vm1.yaml:3: labels: expected at most 32 labels, got 33'],
  },
];

for (const { name, yaml, problems } of cases) {
  test(`problem: ${name}`, async (t) => {
    const path = writeConfig(t, yaml);
    const dir = dirname(path);
    const expected = problems.map((problem) =>
      problem
        .replaceAll('RUN/', `${join(dir, 'runs', 'vm1', 'e1')}/`)
        .replaceAll('DIR/', `${dir}/`)
        .replaceAll('KINDS', [...BUILT_IN_KIND_NAMES].sort().join(', ')),
    );
    assert.deepEqual(await problemsOf(path), expected);
  });
}

test('a module that exports no collector: the loader code stays in the message', async (t) => {
  const path = writeConfig(t, `${HEAD}collectors:\n  x:\n    module: lib/bad.js\n`);
  const modulePath = join(dirname(path), 'lib', 'bad.js');
  mkdirSync(dirname(modulePath));
  writeFileSync(modulePath, 'exports.notACollector = 1;\n');
  assert.deepEqual(await problemsOf(path), [
    `vm1.yaml:5: collectors.x.module: collector module ${modulePath} exports a \`collector\` without a run(ctx) function [VMTEL_MODULE_INVALID]`,
  ]);
});

test('every problem of a file is reported at once, in file order', async (t) => {
  const path = writeConfig(
    t,
    [
      'vm: vm1',
      'episod: e1',
      'collectors:',
      '  fx:',
      `    module: ${FIXTURE_MODULE}`,
      '    target: ${TARGET}',
      '    interval_ms: fast',
      'log_level: loud',
      '',
    ].join('\n'),
  );
  assert.deepEqual(await problemsOf(path), [
    "vm1.yaml: episode: required key is missing; expected a string (letters, digits, '_', '.' and '-', starting with a letter or digit)",
    'vm1.yaml:2: episod: unknown key; did you mean "episode"?',
    'vm1.yaml:6: collectors.fx.target: environment variable TARGET is not set',
    'vm1.yaml:7: collectors.fx.interval_ms: expected a positive integer (milliseconds), got "fast" (a string)',
    'vm1.yaml:8: log_level: expected one of error, warn, info, debug, got "loud" (a string)',
  ]);
});

test('a wrong run_dir is reported even when --run-dir wins over it', async (t) => {
  const path = writeConfig(t, `${HEAD}run_dir: 5\ncollectors:\n${FX}`);
  assert.deepEqual(await problemsOf(path, { runDir: '/elsewhere' }), [
    "vm1.yaml:3: run_dir: expected a path (relative to the config file's folder), got 5",
  ]);
});

test('--run-dir given as an empty string is refused before the file is read', async (t) => {
  const path = writeConfig(t, `${HEAD}collectors:\n${FX}`);
  await assert.rejects(loadConfig(path, { env: {}, runDir: '' }), (err: unknown) => err instanceof VmtelError && err.code === 'VMTEL_RUN_DIR_INVALID' && err.message === '--run-dir: expected a folder, got an empty string');
});

test('values at their bounds load: equal restart delays, a mode of three digits, 32 labels', async (t) => {
  const labels = Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`k${i}`, i % 2 === 0 ? `v${i}` : i]));
  const labelLines = Object.entries(labels).map(([key, value]) => `  ${key}: ${value}\n`).join('');
  const path = writeConfig(t, `${HEAD}file_mode: '640'\nlabels:\n${labelLines}restart:\n  initial_delay_ms: 500\n  max_delay_ms: 500\ncollectors:\n${FX}`);
  const config = await loadConfig(path, { env: {} });
  assert.deepEqual(config.labels, labels);
  assert.equal(config.fileMode, 0o640);
  assert.equal(config.restart.initialDelayMs, 500);
  assert.equal(config.restart.maxDelayMs, 500);
});

test("a ConfigError's message is its problems, one line each, with the file's path", async (t) => {
  const path = writeConfig(t, 'vm: 5\nepisode: 6\ncollectors:\n  host:\n');
  const expected = ['vm1.yaml:1: vm: expected a string (NAME), got 5', 'vm1.yaml:2: episode: expected a string (NAME), got 6']
    .map((line) => `${dirname(path)}/${line.replace('NAME', "letters, digits, '_', '.' and '-', starting with a letter or digit")}`)
    .join('\n');
  await assert.rejects(loadConfig(path, { env: {} }), (err: unknown) => err instanceof Error && err.message === expected);
});
