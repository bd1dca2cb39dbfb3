// The host collector against the real /proc of this machine, and against a /proc tree written by
// the test: exact deltas and busy fraction, and the one event when pressure files are absent.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { collector, createHostCollector } from '../../../src/collectors/host';
import { startInThread } from '../../helpers/collector-in-thread';
import { openFilesUnder, writeWhole } from '../../helpers/fake-tree';
import { readJsonl } from '../../helpers/jsonl';
import { tempDir } from '../../helpers/temp-dir';
import { waitFor, withDeadline } from '../../helpers/wait-for';

const INTERVAL_MS = 20;
// Rows read back from JSON, indexed freely; the assertions check every field they touch.
type Row = Record<string, any>;

test('samples the real /proc: per-CPU times with deltas, memory, load and pressure', async (t) => {
  const runDir = tempDir(t);
  const host = startInThread(collector, { runDir, options: { interval_ms: INTERVAL_MS }, flushMs: 10 });
  t.after(() => host.stop());
  const rows = await waitFor('three host rows', () => {
    const rows = readJsonl(host.outputPath) as Row[];
    return rows.length >= 3 && rows;
  });
  await host.stop();
  const [first, second, third] = rows as [Row, Row, Row];
  assert.equal(first['source'], 'host');
  assert.equal(first['available_in_deployment'], false);
  assert.equal(first['cpu']['user_ms_delta'], null);
  assert.equal(first['cpu']['busy_fraction'], null);
  assert.equal(typeof third['cpu']['idle_ms_delta'], 'number');
  assert.equal(third['cpu']['user_ms'], first['cpu']['user_ms'] + sumDeltas(rows.slice(1, 3), 'user_ms_delta'));
  assert.equal(third['cpus'].length, cpus().length);
  assert.deepEqual(third['cpus'].map((cpu: Row) => cpu['cpu']), cpus().map((_, i) => i));
  assert.equal(third['meminfo']['MemTotal_bytes'], totalmem());
  assert.equal(typeof third['loadavg']['load1'], 'number');
  assert.equal(third['tick'], third['missed_before'] + second['tick'] + 1);
  if (existsSync('/proc/pressure/cpu')) {
    assert.equal(typeof third['pressure']['cpu']['some']['avg10'], 'number');
    assert.equal(typeof third['pressure']['io']['full']['total_us_delta'], 'number');
    assert.equal(host.events('host_pressure_unavailable').length, 0);
  } else {
    assert.equal(third['pressure'], null);
    assert.equal(host.events('host_pressure_unavailable').length, 1);
  }
  assert.equal(host.outcome()?.type, 'stopped');
});

test('without pressure files: one event, every other field still sampled, deltas exact', async (t) => {
  const procRoot = tempDir(t);
  writeFileSync(join(procRoot, 'meminfo'), readFileSync('/proc/meminfo'));
  writeFileSync(join(procRoot, 'loadavg'), '0.50 0.25 0.10 2/300 4242\n');
  writeFileSync(join(procRoot, 'stat'), statText(100, 900));
  mkdirSync(join(procRoot, 'pressure'));
  const runDir = tempDir(t);
  const host = startInThread(createHostCollector(procRoot), { runDir, options: { interval_ms: INTERVAL_MS }, flushMs: 10 });
  t.after(() => host.stop());

  await waitFor('a first row', () => readJsonl(host.outputPath).length >= 1);
  // Between two samples CPU 0 spends 30 ticks (300 ms) busy and 10 idle: busy 3/4.
  writeWhole(join(procRoot, 'stat'), statText(130, 910));
  const changed = await waitFor('a row from the new /proc/stat', () =>
    (readJsonl(host.outputPath) as Row[]).find((row) => row['cpus'][0]['user_ms'] === 1300),
  );
  await waitFor('two more rows', () => readJsonl(host.outputPath).length >= 4);
  // stat, meminfo and loadavg are kept open between samples; the absent pressure files are not.
  assert.deepEqual(openFilesUnder(procRoot).sort(), ['loadavg', 'meminfo', 'stat'].map((f) => join(procRoot, f)));
  await host.stop();

  assert.deepEqual(openFilesUnder(procRoot), []);
  assert.equal(changed['cpus'][0]['user_ms_delta'], 300);
  assert.equal(changed['cpus'][0]['idle_ms_delta'], 100);
  assert.equal(changed['cpus'][0]['busy_fraction'], 0.75);
  assert.equal(changed['context_switches_delta'], 30);
  assert.equal(changed['procs_running'], 3);
  assert.deepEqual(changed['loadavg'], { load1: 0.5, load5: 0.25, load15: 0.1, runnable: 2, entities: 300 });
  const rows = readJsonl(host.outputPath) as Row[];
  assert.ok(rows.every((row) => row['pressure'] === null && typeof row['meminfo']['MemTotal_bytes'] === 'number'));
  const events = host.events('host_pressure_unavailable');
  assert.equal(events.length, 1);
  assert.deepEqual(events[0]?.fields, { reason: 'pressure/cpu: ENOENT' });
});

test('a missing /proc/stat fails the collector with a code and the path', async (t) => {
  const procRoot = tempDir(t);
  const host = startInThread(createHostCollector(procRoot), { runDir: tempDir(t), options: { interval_ms: INTERVAL_MS } });
  t.after(() => host.stop());
  await withDeadline('the collector to fail on its first tick', host.done);
  const outcome = host.outcome();
  assert.equal(outcome?.type, 'failed');
  assert.equal(outcome.type === 'failed' && outcome.error.code, 'VMTEL_COLLECTOR_FAILED');
  assert.match(outcome.type === 'failed' ? outcome.error.message : '', /stat does not exist/);
});

// A /proc/stat with one CPU whose user and idle ticks are given; ctxt follows user.
function statText(userTicks: number, idleTicks: number): string {
  const cpuLine = (name: string): string => `${name} ${userTicks} 0 0 ${idleTicks} 0 0 0 0 0 0`;
  return `${cpuLine('cpu ')}\n${cpuLine('cpu0')}\nintr 1 0\nctxt ${userTicks}\nbtime 1\nprocesses 7\nprocs_running 3\nprocs_blocked 0\n`;
}

function sumDeltas(rows: Row[], key: string): number {
  return rows.reduce((sum, row) => sum + (row['cpu'][key] as number), 0);
}
