// Facts one collector publishes for its siblings (ctx.publish / ctx.subscribe), named once so
// the publisher and every subscriber agree on the name and the shape.

/** Published by qmp from query-cpus-fast, read by qemu_process: which host thread runs each vCPU. */
export const VCPU_THREADS_TOPIC = 'qmp.vcpu_threads';

export interface VcpuThread {
  cpu_index: number;
  thread_id: number;
}
