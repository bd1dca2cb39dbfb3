// Which threads of QEMU run which vCPU. The qmp collector knows for sure (query-cpus-fast gives
// each vCPU's thread id) and publishes it on a topic; without qmp, QEMU's thread names say it
// ("CPU 0/KVM", "CPU 3/TCG"), but only when it runs with `-name ...,debug-threads=on`. Each row
// says which of the two matched.

import type { VcpuThread } from '../topics';

export type VcpuSource = 'qmp' | 'thread_name';

// QEMU names a vCPU thread "CPU <index>/<accelerator>" (KVM, TCG, HVF, WHPX, ...).
const VCPU_THREAD_NAME = /^CPU (\d+)\/\w+$/;

export interface VcpuMatch {
  /** vCPU index by thread id, for the threads that run one. */
  byTid: Map<number, number>;
  source: VcpuSource | null;
}

export class VcpuThreads {
  private fromQmp = new Map<number, number>();

  /** Takes the latest topic value (its entries checked by the topic, src/collectors/topics.ts). */
  update(threads: readonly VcpuThread[]): void {
    this.fromQmp = new Map(threads.map((thread) => [thread.thread_id, thread.cpu_index]));
  }

  /** The vCPU threads among `threads`: by qmp's thread ids when any match, else by name. */
  match(threads: ReadonlyArray<{ tid: number; comm: string }>): VcpuMatch {
    const byQmp = new Map<number, number>();
    const byName = new Map<number, number>();
    for (const { tid, comm } of threads) {
      const cpuIndex = this.fromQmp.get(tid);
      if (cpuIndex !== undefined) byQmp.set(tid, cpuIndex);
      const named = VCPU_THREAD_NAME.exec(comm);
      if (named !== null) byName.set(tid, Number(named[1]));
    }
    if (byQmp.size > 0) return { byTid: byQmp, source: 'qmp' };
    if (byName.size > 0) return { byTid: byName, source: 'thread_name' };
    return { byTid: byQmp, source: null };
  }
}
