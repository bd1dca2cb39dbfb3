import assert from 'node:assert/strict';
import { readLines } from '../helpers/jsonl';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDb } from '../../src/export/duckdb';
import { exportDataset } from '../../src/export/export-dataset';
import { tempDir } from '../helpers/temp-dir';
import { NEAR_2_64 } from './two-episodes';
import { writeSyntheticEpisode } from './synthetic-episode';

// DuckDB guesses types from its first 20,480 rows: everything after that must still be exact.
// The export starts its copy with the structure of each file's first 4 MiB (about 30,000 of these
// rows) and checks it against the whole file's: a late key past that is the case of a second copy.
for (const { rows: ROWS, wide, late } of [
  { rows: 30_000, wide: 25_000, late: 28_000 },
  { rows: 60_000, wide: 50_000, late: 58_000 },
]) {
  test(`a key or a wider value that first appears late (row ${late} of ${ROWS}) is exported, exact`, async (t) => {
    const dir = tempDir(t);
    const rows = Array.from({ length: ROWS }, (_, i) => ({ t_mono_ns: BigInt(i) * 1_000_000n, seq: i, count: i as number | bigint }));
    rows[wide] = { ...rows[wide]!, count: NEAR_2_64 };
    const lateRow = { ...rows[late]!, late_key: 'only here', nested: { deep: -7 } };
    rows[late] = lateRow;
    const runDir = writeSyntheticEpisode(join(dir, 'ep'), { vm: 'vm1', episode: 'ep', durationS: 30, sources: [{ name: 'guest_agent', kind: 'guest_agent', deployable: true, rows }] });
    const out = join(dir, 'out');
    await exportDataset({ runDirs: [runDir], outDir: out, format: 'parquet', gridText: '1s', gridNs: 1_000_000_000n, deployableOnly: false });
    const db = await openDb({ threads: 1 });
    t.after(() => db.close());
    const file = `read_parquet('${join(out, 'rows', 'guest_agent.parquet')}')`;
    const [counts] = await db.rows(`SELECT count(*)::INTEGER AS n, count(late_key)::INTEGER AS late FROM ${file}`);
    assert.deepEqual(counts, { n: readLines(join(runDir, 'telemetry-guest_agent.jsonl')).length, late: 1 });
    const [big] = await db.rows(`SELECT count::VARCHAR AS count, typeof(count) AS type FROM ${file} WHERE seq = ${wide}`);
    assert.deepEqual(big, { count: String(NEAR_2_64), type: 'UBIGINT' });
    const [lateRead] = await db.rows(`SELECT late_key, "nested.deep"::INTEGER AS deep FROM ${file} WHERE seq = ${late}`);
    assert.deepEqual(lateRead, { late_key: 'only here', deep: -7 });
    assert.deepEqual(readdirSync(join(out, 'rows')), ['guest_agent.parquet'], 'one file, no temp file left by a second copy');
  });
}
