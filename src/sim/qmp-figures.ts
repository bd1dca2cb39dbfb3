// The figures a simulated QEMU reports to query commands: disk counters that grow on every read,
// vCPU threads the caller sets, KVM statistics in query-stats' shape. Some counters sit beyond
// 2^53 on purpose, so a test sees at once whether a reader rounds u64 values.

/** wr_total_time_ns of the first disk starts here: the first integer a double cannot hold. */
export const BIG_BLOCK_COUNTER_BASE = 2n ** 53n + 1n;
/** What wr_total_time_ns grows by per query-blockstats: odd, so rounding to even shows. */
export const BIG_BLOCK_COUNTER_STEP = 1001n;
/** A query-stats vm value close to 2^64 (the largest u64 prime): exact or visibly wrong. */
export const BIG_VM_STAT = 18_446_744_073_709_551_557n;

// Per query-blockstats read: one 4 KiB page read, two written, as a quiet disk would.
const READ_BYTES_PER_QUERY = 4096;
const WRITE_BYTES_PER_QUERY = 8192;

export type QmpValue = string | number | bigint | boolean | null | QmpValue[] | { [key: string]: QmpValue };

export class QmpFigures {
  private blockReads = 0;
  private statsReads = 0;

  constructor(public vcpuThreadIds: readonly number[]) {}

  blockstats(): QmpValue {
    this.blockReads += 1;
    const n = this.blockReads;
    return [
      {
        device: 'drive-virtio-disk0',
        'node-name': 'sim-disk0-format',
        qdev: '/machine/peripheral/virtio-disk0/virtio-backend',
        stats: {
          rd_bytes: n * READ_BYTES_PER_QUERY,
          wr_bytes: n * WRITE_BYTES_PER_QUERY,
          rd_operations: n,
          wr_operations: 2 * n,
          flush_operations: n,
          rd_total_time_ns: n * 50_000,
          wr_total_time_ns: BIG_BLOCK_COUNTER_BASE + BigInt(n) * BIG_BLOCK_COUNTER_STEP,
          flush_total_time_ns: n * 10_000,
          wr_highest_offset: 1 << 30,
          idle_time_ns: 1_000_000,
          failed_rd_operations: 0,
          failed_wr_operations: 0,
          invalid_rd_operations: 0,
          invalid_wr_operations: 0,
          account_invalid: true,
          account_failed: true,
          timed_stats: [],
        },
      },
    ];
  }

  cpusFast(): QmpValue {
    return this.vcpuThreadIds.map((threadId, index) => ({
      'cpu-index': index,
      'qom-path': vcpuPath(index),
      'thread-id': threadId,
      props: { 'core-id': index, 'thread-id': 0, 'socket-id': 0 },
      target: 'x86_64',
    }));
  }

  stats(target: 'vm' | 'vcpu'): QmpValue {
    this.statsReads += 1;
    const n = this.statsReads;
    if (target === 'vm') {
      return [
        {
          provider: 'kvm',
          stats: [
            { name: 'remote_tlb_flush', value: 10 * n },
            { name: 'pages_4k', value: 262_144 },
            { name: 'max_mmu_rmap_size', value: BIG_VM_STAT },
          ],
        },
      ];
    }
    return this.vcpuThreadIds.map((_, index) => ({
      provider: 'kvm',
      'qom-path': vcpuPath(index),
      stats: [
        { name: 'exits', value: 1000 * n + index },
        { name: 'halt_exits', value: 100 * n },
        { name: 'halt_poll_fail_hist', value: [0, n, 0, 0] },
      ],
    }));
  }
}

function vcpuPath(index: number): string {
  return `/machine/unattached/device[${index}]`;
}
