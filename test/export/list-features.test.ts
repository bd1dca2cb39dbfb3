// Lists on the feature grid: each element's numeric fields become columns named by the element's
// id (vCPU index, CPU, disk, stat name, else its position), counters as rates per second over
// each element's own previous row, gauges as means; numbers checked against values set here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { episodeViews } from './episode-views';
import { atS } from './synthetic-episode';

// A u64 counter near 2^64: its rate must come from exact differences.
const NEAR_2_64 = 18_446_744_073_709_000_000n;

const cpus = (k: number) => [
  { cpu: 0, user_ms: 100 * k * k, user_ms_delta: null, busy_fraction: 0.1 * (k + 1) },
  { cpu: 1, user_ms: 50 * k, user_ms_delta: null, busy_fraction: 0.5 },
];
const threads = (k: number) => [
  { thread_id: 4242, vcpu_index: 0, comm: 'CPU 0/KVM', utime_ms: 300 * k, stime_ms: 10 * k, processor: 1 },
  { thread_id: 4243, vcpu_index: null, comm: 'qemu-system-x86', utime_ms: 20 * k, stime_ms: 0, processor: k },
];
const qmpResults = (k: number) => ({
  query_blockstats: [{ device: 'virtio0', node_name: 'disk0', stats: { rd_bytes: NEAR_2_64 + BigInt(1000 * k), idle_time_ns: 5 + k } }],
  query_stats_vm: [{ provider: 'kvm', stats: [{ name: 'exits', value: 7 * k }, { name: 'pages_4k', value: 40 + k }] }],
});

test('per-CPU, per-thread, per-disk and nested lists are on the grid, element by element', async (t) => {
  const db = await episodeViews(t, {
    vm: 'vm1',
    episode: 'ep',
    durationS: 3,
    sources: [
      { name: 'host', kind: 'host', deployable: false, rows: [0, 1, 2].map((k) => ({ t_mono_ns: atS(k + 0.5), tick: k, cpus: cpus(k) })) },
      { name: 'qemu_process', kind: 'qemu_process', deployable: false, rows: [0, 1, 2].map((k) => ({ t_mono_ns: atS(k + 0.5), tick: k, threads: threads(k) })) },
      { name: 'qmp', kind: 'qmp', deployable: false, rows: [0, 1, 2].map((k) => ({ t_mono_ns: atS(k + 0.25), tick: k, results: qmpResults(k) })) },
      { name: 'guest_agent', kind: 'guest_agent', deployable: true, rows: [0, 1, 2].map((k) => ({ t_mono_ns: atS(k + 0.5), loadavg: [k, 2 * k, 0.5] })) },
    ],
  });
  const rows = await db.rows(
    `SELECT bin::INTEGER AS bin, "host.cpus.cpu=0.user_ms" AS c0_user, "host.cpus.cpu=1.user_ms" AS c1_user, "host.cpus.cpu=0.busy_fraction" AS c0_busy,
       "qemu_process.threads.vcpu_index=0.utime_ms" AS v0_utime, "qemu_process.threads.thread_id=4243.utime_ms" AS main_utime,
       "qemu_process.threads.thread_id=4243.processor" AS main_processor,
       "qmp.results.query_blockstats.device=virtio0.stats.rd_bytes" AS rd_rate, "qmp.results.query_blockstats.device=virtio0.stats.idle_time_ns" AS idle,
       "qmp.results.query_stats_vm.provider=kvm.stats.name=exits.value" AS exits, "guest_agent.loadavg.[1]" AS load1
     FROM features ORDER BY bin`,
  );
  assert.deepEqual(rows, [
    { bin: 0, c0_user: null, c1_user: null, c0_busy: 0.1, v0_utime: null, main_utime: null, main_processor: 0, rd_rate: null, idle: 5, exits: 0, load1: 0 },
    { bin: 1, c0_user: 100, c1_user: 50, c0_busy: 0.2, v0_utime: 300, main_utime: 20, main_processor: 1, rd_rate: 1000, idle: 6, exits: 7, load1: 2 },
    { bin: 2, c0_user: 300, c1_user: 50, c0_busy: 0.30000000000000004, v0_utime: 300, main_utime: 20, main_processor: 2, rd_rate: 1000, idle: 7, exits: 14, load1: 4 },
  ]);
  const columns = (await db.rows(`SELECT column_name FROM (DESCRIBE features)`)).map((row) => String(row['column_name']));
  assert.ok(!columns.some((name) => name.endsWith('_delta')), 'a counter\'s recorded delta is not a column');
  assert.ok(!columns.some((name) => /\.(cpu|vcpu_index|thread_id|device)$/.test(name)), 'ids are names, not columns');
  assert.ok(columns.includes('qmp.results.query_stats_vm.provider=kvm.stats.name=pages_4k.value'));
  assert.ok(columns.includes('guest_agent.loadavg.[0]') && columns.includes('guest_agent.loadavg.[2]'), 'an element without an id is named by its position');
});

test('an element missing from a row is null in that bin, not carried over', async (t) => {
  const db = await episodeViews(t, {
    vm: 'vm1',
    episode: 'ep',
    durationS: 3,
    sources: [
      {
        name: 'host',
        kind: 'host',
        deployable: false,
        rows: [
          { t_mono_ns: atS(0.5), cpus: [{ cpu: 0, busy_fraction: 0.25 }, { cpu: 1, busy_fraction: 0.75 }] },
          { t_mono_ns: atS(1.5), cpus: [{ cpu: 0, busy_fraction: 0.5 }] },
          { t_mono_ns: atS(2.5), cpus: [{ cpu: 1, busy_fraction: 1 }] },
        ],
      },
    ],
  });
  const rows = await db.rows(`SELECT bin::INTEGER AS bin, "host.rows_in_bin"::INTEGER AS n, "host.cpus.cpu=0.busy_fraction" AS c0, "host.cpus.cpu=1.busy_fraction" AS c1 FROM features ORDER BY bin`);
  assert.deepEqual(rows, [
    { bin: 0, n: 1, c0: 0.25, c1: 0.75 },
    { bin: 1, n: 1, c0: 0.5, c1: null },
    { bin: 2, n: 1, c0: null, c1: 1 },
  ]);
});
