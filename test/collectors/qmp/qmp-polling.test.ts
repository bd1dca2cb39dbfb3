// One row per poll with every query's result, u64 counters written exactly, a command this QEMU
// lacks reported once and dropped, and the vCPU threads published for qemu_process on change.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_QUERIES } from '../../../src/collectors/qmp/options';
import { rowKeyOf } from '../../../src/collectors/qmp/result-names';
import { BIG_BLOCK_COUNTER_BASE, BIG_BLOCK_COUNTER_STEP, BIG_VM_STAT } from '../../../src/sim/qmp-figures';
import { parseExactJson, type ExactJson } from '../../../src/sink/exact-json';
import { readJsonl, readLines } from '../../helpers/jsonl';
import { waitFor } from '../../helpers/wait-for';
import { startQmpPair } from './qmp-fixture';

type Row = { [key: string]: ExactJson };

function exactRows(path: string): Row[] {
  return readLines(path).map((line) => parseExactJson(line) as Row);
}

test('each poll writes one row holding the result of every query, keyed by query', async (t) => {
  const { collector, server } = await startQmpPair(t, { vcpuThreadIds: [101, 102] });
  const rows = await waitFor('three rows', () => {
    const found = readJsonl(collector.outputPath);
    return found.length >= 3 && found;
  });
  for (const row of rows) {
    assert.deepEqual(Object.keys(row['results'] as object), ['query_status', 'query_blockstats', 'query_cpus_fast', 'query_stats_vm', 'query_stats_vcpu']);
    assert.deepEqual(Object.keys(row['results'] as object), DEFAULT_QUERIES.map(rowKeyOf));
    assert.equal(row['source'], 'qmp');
    assert.equal(row['available_in_deployment'], false);
    assert.equal(typeof row['tick'], 'number');
    assert.ok((row['poll_ns'] as number) > 0);
  }
  const results = rows[0]!['results'] as Record<string, unknown>;
  assert.deepEqual(results['query_status'], { status: 'running', running: true });
  assert.deepEqual(
    (results['query_cpus_fast'] as Array<Record<string, unknown>>).map((cpu) => [cpu['vcpu_index'], cpu['thread_id']]),
    [[0, 101], [1, 102]],
  );
  const firstCpu = (results['query_cpus_fast'] as Array<Record<string, unknown>>)[0]!;
  assert.deepEqual(Object.keys(firstCpu).filter((key) => key.includes('-')), [], 'no kebab-case key is left');
  assert.deepEqual(firstCpu['props'], { core_id: 0, thread_index: 0, socket_id: 0 }, "props' SMT thread number is not a host thread_id");
  assert.equal((results['query_stats_vcpu'] as unknown[]).length, 2);
  const stamps = rows.map((row) => row['t_mono_ns'] as number);
  assert.deepEqual([...stamps].sort((a, b) => a - b), stamps, 'rows in time order');
  server.setRunning(false);
  await waitFor('a row with the VM paused', () =>
    readJsonl(collector.outputPath).some((row) => (row['results'] as Record<string, { status?: string }>)['query_status']?.status === 'paused'),
  );
});

test('u64 counters beyond 2^53 are written exactly, with exact deltas', async (t) => {
  const { collector } = await startQmpPair(t);
  const rows = await waitFor('two rows', () => {
    const found = exactRows(collector.outputPath);
    return found.length >= 2 && found;
  });
  const diskStats = (row: Row): Row => ((row['results'] as Row)['query_blockstats'] as Row[])[0]!['stats'] as Row;
  const [first, second] = [diskStats(rows[0]!), diskStats(rows[1]!)];
  assert.equal(first['wr_total_time_ns'], BIG_BLOCK_COUNTER_BASE + BIG_BLOCK_COUNTER_STEP);
  assert.equal(first['wr_total_time_ns_delta'], null, 'no delta on the first sample');
  assert.equal(second['wr_total_time_ns'], BIG_BLOCK_COUNTER_BASE + 2n * BIG_BLOCK_COUNTER_STEP);
  assert.equal(second['wr_total_time_ns_delta'], Number(BIG_BLOCK_COUNTER_STEP), 'a small delta reads back as a number');
  assert.equal(second['rd_bytes_delta'], 4096);
  assert.equal(second['idle_time_ns'], 1_000_000, 'gauges are kept as QEMU sent them');
  assert.equal(second['idle_time_ns_delta'], undefined, 'gauges get no delta');
  const vmStats = ((rows[0]!['results'] as Row)['query_stats_vm'] as Row[])[0]!['stats'] as Row[];
  assert.deepEqual(vmStats.find((stat) => stat['name'] === 'max_mmu_rmap_size'), { name: 'max_mmu_rmap_size', value: BIG_VM_STAT });
  assert.ok(readLines(collector.outputPath)[0]!.includes(`"value":${BIG_VM_STAT}`), 'the digits themselves are in the file');
});

test('a command this QEMU lacks is reported once with its error and dropped from the poll set', async (t) => {
  const queries = ['query-status', 'query-stats:vm', 'query-stats:vcpu', 'query-no-such-thing'];
  const { collector, server } = await startQmpPair(t, { queryStatsTargets: ['vm'] }, { queries });
  await waitFor('three rows', () => readJsonl(collector.outputPath).length >= 3);
  const unsupported = collector.events('qmp_command_unsupported').map((event) => event.fields);
  assert.deepEqual(unsupported, [
    { command: 'query-stats:vcpu', error: { class: 'GenericError', desc: "Parameter 'target' does not accept value 'vcpu'" } },
    { command: 'query-no-such-thing', error: { class: 'CommandNotFound', desc: 'The command query-no-such-thing has not been found' } },
  ]);
  assert.equal(server.commands.filter((command) => command === 'query-no-such-thing').length, 1);
  const rows = readJsonl(collector.outputPath);
  assert.deepEqual(Object.keys(rows[0]!['results'] as object), ['query_status', 'query_stats_vm']);
  assert.deepEqual(Object.keys(rows.at(-1)!['results'] as object), ['query_status', 'query_stats_vm']);
  assert.ok(rows.every((row) => row['errors'] === undefined));
});

test('a QEMU without query-stats loses only those queries', async (t) => {
  const { collector } = await startQmpPair(t, { queryStatsTargets: null });
  await waitFor('two rows', () => readJsonl(collector.outputPath).length >= 2);
  assert.deepEqual(
    collector.events('qmp_command_unsupported').map((event) => [event.fields['command'], (event.fields['error'] as { class: string }).class]),
    [['query-stats:vm', 'CommandNotFound'], ['query-stats:vcpu', 'CommandNotFound']],
  );
  assert.deepEqual(Object.keys(readJsonl(collector.outputPath).at(-1)!['results'] as object), ['query_status', 'query_blockstats', 'query_cpus_fast']);
});

test('the vCPU threads are published for qemu_process, and again only when they change', async (t) => {
  const { collector, server } = await startQmpPair(t, { vcpuThreadIds: [111, 222] }, { queries: ['query-cpus-fast'] });
  const publishes = (): unknown[] => collector.messages.filter((m) => m.type === 'publish').map((m) => m.type === 'publish' && [m.topic, m.value]);
  await waitFor('three rows', () => readJsonl(collector.outputPath).length >= 3);
  assert.deepEqual(publishes(), [['qmp.vcpu_threads', [{ cpu_index: 0, thread_id: 111 }, { cpu_index: 1, thread_id: 222 }]]]);
  server.figures.vcpuThreadIds = [111, 333];
  await waitFor('a second publish', () => publishes().length === 2);
  const rowsNow = readJsonl(collector.outputPath).length;
  await waitFor('two more rows', () => readJsonl(collector.outputPath).length >= rowsNow + 2);
  assert.deepEqual(publishes()[1], ['qmp.vcpu_threads', [{ cpu_index: 0, thread_id: 111 }, { cpu_index: 1, thread_id: 333 }]]);
  assert.equal(publishes().length, 2);
});
