// What `vmtel run` loads before its collectors start is on the clock of every episode: work that
// only --help needs, or that only the config loader needs, stays off that path.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { build } from 'esbuild';
import { BUNDLE_OPTIONS } from '../../scripts/bundle-options';
import { runVmtel } from '../helpers/vmtel-process';
import { tempDir } from '../helpers/temp-dir';

const DIST = join(__dirname, '..', '..');
const REFUSE_SEGMENTER = join(DIST, 'test', 'fixtures', 'cli', 'refuse-segmenter.js');
const EXAMPLE_CONFIG = join(DIST, '..', 'config', 'example-vm.yaml');
const NODE_MODULES = join(DIST, '..', 'node_modules');

test('a command and its help are laid out without building an Intl.Segmenter (string-width\'s tables)', async (t) => {
  const env = { NODE_OPTIONS: `--require ${REFUSE_SEGMENTER}` };
  const validate = await runVmtel(t, ['validate', '--config', EXAMPLE_CONFIG], 20_000, env);
  assert.equal(validate.code, 0, validate.stderr);
  assert.match(validate.stdout, /^vm: /m);
  const help = await runVmtel(t, ['run', '--help'], 20_000, env);
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /--config/);
});

test('the bundle\'s string-width gives the real width: ASCII by its length, any other text by string-width itself', async (t) => {
  const dir = tempDir(t);
  const texts = ['', 'vmtel run --config FILE', '\u001b[31mred\u001b[39m', 'caf\u00e9', '\u6f22\u5b57', '\u{1f600}', 'tab\there'];
  const entry = join(dir, 'widths.mjs');
  writeFileSync(entry, `import stringWidth from 'string-width';\nprocess.stdout.write(JSON.stringify(${JSON.stringify(texts)}.map((text) => stringWidth(text))));\n`);
  const bundle = join(dir, 'widths.js');
  await build({ ...BUNDLE_OPTIONS, entryPoints: [entry], outfile: bundle, nodePaths: [NODE_MODULES] });
  const bundled = JSON.parse(execFileSync(process.execPath, [bundle], { encoding: 'utf8' })) as number[];
  const { default: stringWidth } = (await import('string-width')) as { default: (text: string) => number };
  assert.deepEqual(bundled, texts.map((text) => stringWidth(text)));
  assert.deepEqual(bundled, [0, 23, 3, 4, 4, 2, 7]);
});

test('a collector\'s worker never carries the YAML parser: naming a key does not need it', () => {
  const worker = readFileSync(join(DIST, 'bundle', 'collector-worker.js'), 'utf8');
  assert.ok(!worker.includes('YAMLException'), 'js-yaml is in the worker bundle');
  // The CLI's bundle does carry it (the config loader), so the search can tell.
  assert.ok(readFileSync(join(DIST, 'bundle', 'vmtel.js'), 'utf8').includes('YAMLException'));
});
