// QEMU's kebab-case keys become vmtel's names in every result, at every depth, with the values
// (u64 counters as bigints included) untouched; two entries of one row key are refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { qmpOptions } from '../../../src/collectors/qmp/options';
import { rowKeyOf, withRowNames } from '../../../src/collectors/qmp/result-names';

test('a query entry is keyed in snake_case, its target after an underscore', () => {
  assert.deepEqual(['query-status', 'query-stats:vm', 'x-query-virtio-status'].map(rowKeyOf), ['query_status', 'query_stats_vm', 'x_query_virtio_status']);
});

test('query-cpus-fast: cpu-index is vcpu_index, thread-id the host thread_id, props.thread-id a thread_index', () => {
  const reply = [{ 'cpu-index': 1, 'thread-id': 4242, 'qom-path': '/machine/cpu[1]', target: 'x86_64', props: { 'core-id': 1, 'thread-id': 0, 'socket-id': 0 } }];
  assert.deepEqual(withRowNames('query-cpus-fast', reply), [
    { vcpu_index: 1, thread_id: 4242, qom_path: '/machine/cpu[1]', target: 'x86_64', props: { core_id: 1, thread_index: 0, socket_id: 0 } },
  ]);
});

test('every other reply has its keys renamed at every depth and its values kept exact', () => {
  const big = 18_446_744_073_709_551_615n;
  const reply = [{ device: '', 'node-name': 'disk0', stats: { rd_bytes: big, 'timed-stats': [{ 'interval-length': 60 }] }, parent: { 'node-name': 'file0' } }];
  assert.deepEqual(withRowNames('query-blockstats', reply), [
    { device: '', node_name: 'disk0', stats: { rd_bytes: big, timed_stats: [{ interval_length: 60 }] }, parent: { node_name: 'file0' } },
  ]);
  assert.deepEqual(withRowNames('query-status', { status: 'running', running: true }), { status: 'running', running: true });
  assert.equal(withRowNames('query-x', 'a-b'), 'a-b', 'string values are not names');
});

test('two entries that would share one row key are refused by the config check', () => {
  const check = qmpOptions.queries.check;
  assert.equal(check(['query-stats:vm', 'query-stats-vm']), 'no two queries of one row key (`-` and `:` both read as `_`)');
  assert.equal(check(['query-status', 'query-status']), 'each query at most once');
  assert.equal(check(['query-status', 'query-stats:vm']), null);
});
