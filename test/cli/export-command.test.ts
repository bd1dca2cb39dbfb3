import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDb } from '../../src/export/duckdb';
import { writeSyntheticEpisode } from '../export/synthetic-episode';
import { NEAR_2_64, writeTwoEpisodes } from '../export/two-episodes';
import { tempDir } from '../helpers/temp-dir';
import { runVmtel, startVmtel } from '../helpers/vmtel-process';
import { waitFor, withDeadline } from '../helpers/wait-for';

const REFUSE_DUCKDB = join(__dirname, '..', 'fixtures', 'export', 'refuse-duckdb.js');
const EXAMPLE_CONFIG = join(__dirname, '..', '..', '..', 'config', 'example-vm.yaml');

test('vmtel export writes the dataset and names its files', async (t) => {
  const dir = tempDir(t);
  const [ep1, ep2] = writeTwoEpisodes(dir);
  const out = join(dir, 'out');
  const run = await runVmtel(t, ['export', ep1, ep2, '--out', out, '--grid', '1s'], 60_000);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(run.stdout.trim().split('\n').map((path) => path.slice(out.length + 1)), [
    'rows/guest_agent.parquet',
    'rows/net.parquet',
    'events.parquet',
    'episodes.parquet',
    'features.parquet',
    'dataset.json',
  ]);
});

const badArguments: Array<{ what: string; args: (dir: string) => string[]; line: RegExp }> = [
  { what: 'no run dir', args: (dir) => ['export', '--out', join(dir, 'out')], line: /^vmtel: Not enough non-option arguments: got 0, need at least 1 \[VMTEL_USAGE\]$/ },
  {
    what: 'a run dir of something else',
    args: (dir) => ['export', join(dir, 'photos'), '--out', join(dir, 'out')],
    // The one run-dir reader's words, as summary and report say them.
    line: /^vmtel: .*photos holds no episode\.json: not a vmtel run dir \(a folder holding episode\.json\) \[VMTEL_NOT_A_RUN_DIR\]$/,
  },
  {
    what: 'an unwritable --out (under a file)',
    args: (dir) => ['export', join(dir, 'ep1'), '--out', join(dir, 'a-file', 'out')],
    line: /^vmtel: --out .*a-file\/out: cannot be written \(ENOTDIR\) \[VMTEL_OUTPUT_UNWRITABLE\]$/,
  },
  {
    what: 'one episode given twice',
    args: (dir) => ['export', join(dir, 'ep1'), join(dir, 'ep1'), '--out', join(dir, 'out')],
    line: /^vmtel: .*ep1 and .*ep1 are both vm vm1 episode ep1: give each episode once \[VMTEL_USAGE\]$/,
  },
  { what: 'a bad --grid', args: (dir) => ['export', join(dir, 'ep1'), '--out', join(dir, 'out'), '--grid', '1 hour'], line: /^vmtel: --grid: expected a positive integer and a unit .* \[VMTEL_USAGE\]$/ },
];

for (const bad of badArguments) {
  test(`vmtel export with ${bad.what}: one line, exit 2, nothing written`, async (t) => {
    const dir = tempDir(t);
    writeTwoEpisodes(dir);
    mkdirSync(join(dir, 'photos'));
    writeFileSync(join(dir, 'photos', 'cat.jpg'), 'not an episode');
    writeFileSync(join(dir, 'a-file'), '');
    const run = await runVmtel(t, bad.args(dir), 60_000);
    assert.equal(run.code, 2, bad.what);
    assert.match(run.stderr.trimEnd(), bad.line);
    assert.equal(run.stderr.trimEnd().split('\n').length, 1, run.stderr);
    assert.equal(existsSync(join(dir, 'out')), false, 'nothing written');
  });
}

test('vmtel export into a folder that is not empty refuses and writes nothing', async (t) => {
  const dir = tempDir(t);
  const [ep1] = writeTwoEpisodes(dir);
  const out = join(dir, 'out');
  mkdirSync(out);
  writeFileSync(join(out, 'notes.txt'), 'mine');
  const run = await runVmtel(t, ['export', ep1, '--out', out], 60_000);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /--out .*: not empty \(holds notes\.txt\); export into a new folder \[VMTEL_OUTPUT_UNWRITABLE\]/);
  assert.deepEqual(readdirSync(out).sort(), ['notes.txt', 'rows']);
  assert.deepEqual(readdirSync(join(out, 'rows')), []);
});

test('an export killed halfway leaves only whole files under final names', async (t) => {
  const dir = tempDir(t);
  // Enough guest rows that writing them takes a while, so the kill lands during a write.
  const rows = Array.from({ length: 400_000 }, (_, i) => ({ t_mono_ns: BigInt(i) * 1_000_000n, seq: i, cpu_pct: i % 100, note: `row ${i}` }));
  const runDir = writeSyntheticEpisode(join(dir, 'big'), { vm: 'vm1', episode: 'big', durationS: 400, sources: [{ name: 'guest_agent', kind: 'guest_agent', deployable: true, rows }] });
  const out = join(dir, 'out');
  const run = startVmtel(t, ['export', runDir, '--out', out]);
  await waitFor('a temp file in the output', () => existsSync(join(out, 'rows')) && readdirSync(join(out, 'rows')).some((name) => name.endsWith('.tmp')), 60_000);
  run.child.kill('SIGKILL');
  await withDeadline('the killed export to exit', run.exited);
  const finals = [...readdirSync(out), ...readdirSync(join(out, 'rows'))].filter((name) => name.endsWith('.parquet'));
  const db = await openDb({ threads: 1 });
  try {
    for (const name of finals) {
      const path = existsSync(join(out, name)) ? join(out, name) : join(out, 'rows', name);
      await db.rows(`SELECT count(*) FROM read_parquet('${path}')`);
    }
  } finally {
    db.close();
  }
  assert.equal(finals.includes('guest_agent.parquet'), false, 'the file being written is not under its final name');
  assert.equal(existsSync(join(out, 'dataset.json')), false);
});

test('vmtel sql answers from the episodes: a table, or JSON lines with exact integers', async (t) => {
  const dir = tempDir(t);
  const [ep1, ep2] = writeTwoEpisodes(dir);
  const table = await runVmtel(t, ['sql', ep1, ep2, 'SELECT episode, count(*) AS bins, sum("guest_agent.rows_in_bin") AS guest_rows FROM features GROUP BY episode ORDER BY episode'], 60_000);
  assert.equal(table.code, 0, table.stderr);
  assert.equal(table.stdout, ['episode  bins  guest_rows', '-------  ----  ----------', 'ep1      5     7', 'ep2      2     2', ''].join('\n'));
  const json = await runVmtel(t, ['sql', ep1, "SELECT big_u FROM rows_guest_agent WHERE seq = 2", '--json'], 60_000);
  assert.equal(json.stdout, `{"big_u":${NEAR_2_64}}\n`);
  const csv = await runVmtel(t, ['sql', ep1, "SELECT name, phase FROM events WHERE event = 'marker' ORDER BY t_mono_ns", '--csv'], 60_000);
  assert.equal(csv.stdout, 'name,phase\nidle,true\nnote,false\nattack,true\n');
  const bad = await runVmtel(t, ['sql', ep1, 'SELECT nonsense FROM nowhere'], 60_000);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^vmtel: query failed: Catalog Error: Table with name nowhere does not exist! \[VMTEL_QUERY_FAILED\]\n$/);
});

test('commands other than export and sql never load DuckDB', async (t) => {
  const dir = tempDir(t);
  const [ep1] = writeTwoEpisodes(dir);
  const env = { NODE_OPTIONS: `--require ${REFUSE_DUCKDB}` };
  const validate = startVmtel(t, ['validate', '--config', EXAMPLE_CONFIG], env);
  assert.equal(await withDeadline('vmtel validate to exit', validate.exited, 20_000), 0, validate.stderr());
  // The hook does work: export, which needs DuckDB, fails under it.
  const exported = startVmtel(t, ['export', ep1, '--out', join(dir, 'out')], env);
  assert.notEqual(await withDeadline('vmtel export to exit', exported.exited, 20_000), 0);
  assert.match(exported.stderr(), /DuckDB was loaded/);
});
