// The host thread of each vCPU, read from query-cpus-fast, is what qemu_process needs to attribute
// CPU time per vCPU. It is published only when it changes (vCPU hotplug, a new QEMU), so
// subscribers react to changes, not to every poll.
import type { CollectorContext } from '../contract';
import type { ExactJson } from '../../sink/exact-json';
import { VCPU_THREADS, type VcpuThread } from '../topics';
import { isObject } from './qmp-message';

export class VcpuThreadPublisher {
  private lastPublished: string | null = null;

  constructor(private readonly ctx: Pick<CollectorContext<unknown>, 'publish'>) {}

  /** Publishes the threads of a query-cpus-fast reply when they differ from the last ones. */
  offer(reply: ExactJson): void {
    const threads = vcpuThreads(reply);
    const key = JSON.stringify(threads);
    if (key === this.lastPublished) return;
    this.lastPublished = key;
    this.ctx.publish(VCPU_THREADS, threads);
  }
}

/** `vcpu_index` and `thread_id` (renamed from QEMU's, result-names.ts) of every entry that has both as integers. */
export function vcpuThreads(reply: ExactJson): VcpuThread[] {
  if (!Array.isArray(reply)) return [];
  return reply.flatMap((cpu) => {
    if (!isObject(cpu)) return [];
    const cpuIndex = cpu['vcpu_index'];
    const threadId = cpu['thread_id'];
    return Number.isSafeInteger(cpuIndex) && Number.isSafeInteger(threadId)
      ? [{ cpu_index: cpuIndex as number, thread_id: threadId as number }]
      : [];
  });
}
