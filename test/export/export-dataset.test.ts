import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDb, type Db } from '../../src/export/duckdb';
import { exportDataset } from '../../src/export/export-dataset';
import { episodeReport } from '../../src/report';
import { readLines } from '../helpers/jsonl';
import { tempDir } from '../helpers/temp-dir';
import { ABOVE_2_53, ABOVE_2_63, EP1_EVENTS, EP1_GUEST, GUEST_WALL_NS, NEAR_2_64, writeTwoEpisodes } from './two-episodes';

const ONE_S = 1_000_000_000n;

async function withDb<T>(use: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDb({ threads: 1 });
  try {
    return await use(db);
  } finally {
    db.close();
  }
}

describe('vmtel export of two synthetic episodes (Parquet)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vt-export-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const runDirs = writeTwoEpisodes(dir);
  const out = join(dir, 'dataset');
  before(async () => {
    await exportDataset({ runDirs, outDir: out, format: 'parquet', gridText: '1s', gridNs: ONE_S, deployableOnly: false });
  });
  const parquet = (name: string): string => `read_parquet('${join(out, name)}')`;

  test('every whole JSONL line is one row, per source and episode; a torn line is left out', async () => {
    await withDb(async (db) => {
      for (const source of ['guest_agent', 'net']) {
        const counts = await db.rows(`SELECT episode, count(*)::INTEGER AS n FROM ${parquet(`rows/${source}.parquet`)} GROUP BY episode ORDER BY episode`);
        const lines = runDirs.map((runDir) => readLines(join(runDir, `telemetry-${source}.jsonl`)).length);
        assert.deepEqual(counts, [{ episode: 'ep1', n: lines[0] }, { episode: 'ep2', n: lines[1] }], source);
      }
      // ep2's guest file: two whole lines and a torn one (not counted by readLines: no newline).
      assert.equal(readLines(join(runDirs[1], 'telemetry-guest_agent.jsonl')).length, 2);
      const [events] = await db.rows(`SELECT count(*)::INTEGER AS n FROM ${parquet('events.parquet')}`);
      assert.equal(events?.['n'], EP1_EVENTS.length + 1);
    });
    const description = JSON.parse(readFileSync(join(out, 'dataset.json'), 'utf8')) as { episodes: Array<{ rows: Record<string, { recorded: number; exported: number }> }> };
    assert.deepEqual(description.episodes[1]?.rows['guest_agent'], { recorded: 3, exported: 2 });
  });

  test('integers come back exact with declared types: BIGINT stamps, UBIGINT counters, wide guest integers', async () => {
    await withDb(async (db) => {
      const types = await db.rows(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ${parquet('rows/guest_agent.parquet')})`);
      const typeOf = Object.fromEntries(types.map((row) => [row['column_name'], row['column_type']]));
      assert.equal(typeOf['t_mono_ns'], 'BIGINT');
      assert.equal(typeOf['t_wall_ns'], 'BIGINT');
      assert.equal(typeOf['t_guest_wall_ns'], 'BIGINT');
      assert.equal(typeOf['big_u'], 'UBIGINT');
      assert.equal(typeOf['mixed'], 'DECIMAL(38,0)');
      assert.equal(typeOf['above53'], 'BIGINT');
      assert.equal(typeOf['io.reads'], 'BIGINT');
      const values = await db.rows(
        `SELECT big_u::VARCHAR AS big_u, mixed::VARCHAR AS mixed, above53::VARCHAR AS above53, t_guest_wall_ns::VARCHAR AS wall FROM ${parquet('rows/guest_agent.parquet')} WHERE episode = 'ep1' ORDER BY seq`,
      );
      assert.deepEqual(
        values.map((row) => row['big_u']),
        EP1_GUEST.map((row) => String(row.big_u)),
      );
      assert.equal(values[1]?.['big_u'], String(NEAR_2_64));
      assert.equal(values[1]?.['mixed'], String(ABOVE_2_63));
      assert.equal(values[0]?.['mixed'], '-3');
      assert.equal(values[0]?.['above53'], String(ABOVE_2_53));
      assert.equal(values[0]?.['wall'], String(GUEST_WALL_NS));
      const netTypes = await db.rows(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ${parquet('rows/net.parquet')})`);
      assert.deepEqual(
        netTypes.filter((row) => String(row['column_name']).startsWith('rx_bytes')).map((row) => row['column_type']),
        ['UBIGINT', 'UBIGINT'],
      );
    });
  });

  test('features: a gauge is the bin mean, a counter its rate per second, an empty bin 0 rows and nulls, phases by marker', async () => {
    await withDb(async (db) => {
      const rows = await db.rows(
        `SELECT bin::INTEGER AS bin, phase, "guest_agent.rows_in_bin"::INTEGER AS guest_rows, "guest_agent.cpu_pct" AS cpu, "guest_agent.io.reads" AS reads,
                "net.rows_in_bin"::INTEGER AS net_rows, "net.rx_bytes" AS rx, "net.mtu" AS mtu, "label.family" AS family
         FROM ${parquet('features.parquet')} WHERE episode = 'ep1' ORDER BY bin`,
      );
      assert.deepEqual(rows, [
        { bin: 0, phase: null, guest_rows: 2, cpu: 15, reads: 8, net_rows: 1, rx: null, mtu: 1500, family: 'benign' },
        { bin: 1, phase: 'idle', guest_rows: 1, cpu: 40, reads: 11, net_rows: 1, rx: 500, mtu: 1500, family: 'benign' },
        { bin: 2, phase: 'idle', guest_rows: 0, cpu: null, reads: null, net_rows: 1, rx: 1000, mtu: 9000, family: 'benign' },
        { bin: 3, phase: 'idle', guest_rows: 3, cpu: 2, reads: 13, net_rows: 1, rx: 0, mtu: 9000, family: 'benign' },
        { bin: 4, phase: 'attack', guest_rows: 1, cpu: 8, reads: 15, net_rows: 1, rx: null, mtu: 9000, family: 'benign' },
      ]);
      const columns = (await db.rows(`SELECT column_name FROM (DESCRIBE SELECT * FROM ${parquet('features.parquet')})`)).map((row) => row['column_name']);
      assert.ok(!columns.includes('net.rx_bytes_delta'), 'a counter\'s recorded delta is not a feature of its own');
      assert.ok(!columns.includes('net.tick') && !columns.includes('guest_agent.t_guest_wall_ns'), 'stamps and ticks are not features');
      const [ep2] = await db.rows(`SELECT count(*)::INTEGER AS bins, max("label.run") AS run FROM ${parquet('features.parquet')} WHERE episode = 'ep2'`);
      assert.deepEqual(ep2, { bins: 2, run: null });
    });
  });

  test('episodes: one row each, with labels and the manifest counts; no temp file left', async () => {
    await withDb(async (db) => {
      const rows = await db.rows(`SELECT episode, "label.family" AS family, "guest_agent.rows"::INTEGER AS guest_rows, duration_s FROM ${parquet('episodes.parquet')} ORDER BY episode`);
      assert.deepEqual(rows, [
        { episode: 'ep1', family: 'benign', guest_rows: EP1_GUEST.length, duration_s: 5 },
        { episode: 'ep2', family: 'malware', guest_rows: 3, duration_s: 2 },
      ]);
    });
    assert.deepEqual(readdirSync(out).sort(), ['dataset.json', 'episodes.parquet', 'events.parquet', 'features.parquet', 'rows']);
    assert.deepEqual(readdirSync(join(out, 'rows')).sort(), ['guest_agent.parquet', 'net.parquet']);
  });

  test("episodes: each episode's report verdict, its reasons, and each source's coverage", async () => {
    const reports = await Promise.all(runDirs.map((runDir) => episodeReport(runDir)));
    // The two episodes are judged apart (ep2 has a torn guest line and lost rows), so a mix-up shows.
    assert.ok(reports.every((report) => report.sources.length > 0));
    await withDb(async (db) => {
      const rows = await db.rows(`SELECT episode, verdict, verdict_reasons, "guest_agent.coverage" AS coverage FROM ${parquet('episodes.parquet')} ORDER BY episode`);
      assert.deepEqual(
        rows,
        reports.map((report) => ({
          episode: report.episode,
          verdict: report.verdict.level,
          verdict_reasons: report.verdict.reasons.map((reason) => reason.message).join('; '),
          coverage: report.sources.find((source) => source.name === 'guest_agent')!.coverage,
        })),
      );
    });
  });
});

describe('vmtel export --deployable-only', () => {
  test('holds no lab-only source in rows, events or features; episodes keep identity and labels', async (t) => {
    const dir = tempDir(t);
    const runDirs = writeTwoEpisodes(dir);
    const out = join(dir, 'deployable');
    await exportDataset({ runDirs, outDir: out, format: 'parquet', gridText: '1s', gridNs: ONE_S, deployableOnly: true });
    assert.deepEqual(readdirSync(join(out, 'rows')), ['guest_agent.parquet']);
    await withDb(async (db) => {
      const sources = await db.rows(`SELECT DISTINCT source FROM read_parquet('${join(out, 'events.parquet')}') ORDER BY source`);
      assert.deepEqual(sources, [{ source: 'control' }, { source: 'guest_agent' }]);
      const features = (await db.rows(`SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet('${join(out, 'features.parquet')}'))`)).map((row) => String(row['column_name']));
      assert.deepEqual(features.filter((name) => name.startsWith('net.')), []);
      assert.ok(features.includes('guest_agent.cpu_pct'));
      const episodes = (await db.rows(`SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet('${join(out, 'episodes.parquet')}'))`)).map((row) => row['column_name']);
      assert.deepEqual(episodes, ['vm', 'episode', 'label.family', 'label.run', 'verdict', 'verdict_reasons']);
    });
    const description = JSON.parse(readFileSync(join(out, 'dataset.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(description['deployable_only'], true);
    assert.deepEqual(description['sources_left_out'], ['net']);
    assert.deepEqual((description['sources'] as Array<{ name: string }>).map((source) => source.name), ['guest_agent']);
  });
});

describe('vmtel export --format csv', () => {
  test('writes the same tables as CSV with a header line', async (t) => {
    const dir = tempDir(t);
    const runDirs = writeTwoEpisodes(dir);
    const out = join(dir, 'csv');
    await exportDataset({ runDirs, outDir: out, format: 'csv', gridText: '500ms', gridNs: ONE_S / 2n, deployableOnly: false });
    const guest = readLines(join(out, 'rows', 'guest_agent.csv'));
    assert.equal(guest.length, 1 + EP1_GUEST.length + 2);
    assert.ok(guest.some((line) => line.includes(String(NEAR_2_64))), 'the u64 value is written exactly');
    const features = readLines(join(out, 'features.csv'));
    // 0.5 s bins: ep1 spans 10, ep2 4, plus the header.
    assert.equal(features.length, 1 + 10 + 4);
  });
});
