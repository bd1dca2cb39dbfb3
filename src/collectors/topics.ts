// Facts one collector publishes for its siblings (ctx.publish / ctx.subscribe). A topic is
// declared once with its type and its one check: the runtime runs the same check on what a
// publisher sends and on what a subscriber is handed, so both sides agree on name and shape
// whichever thread or version produced the value.

/** A topic: its name and the check of its values. */
export interface Topic<T> {
  readonly name: string;
  /** `value` as a T (entries of another shape dropped, when the topic says so), or null. */
  parse(value: unknown): T | null;
}

export interface VcpuThread {
  cpu_index: number;
  thread_id: number;
}

function isVcpuThread(entry: unknown): entry is VcpuThread {
  const fields = entry as Partial<Record<keyof VcpuThread, unknown>> | null;
  return typeof entry === 'object' && Number.isSafeInteger(fields?.cpu_index) && Number.isSafeInteger(fields?.thread_id);
}

/** Published by qmp from query-cpus-fast, read by qemu_process: which host thread runs each vCPU. */
export const VCPU_THREADS: Topic<readonly VcpuThread[]> = {
  name: 'qmp.vcpu_threads',
  // Entry by entry: one odd entry must not hide the others.
  parse: (value) => (Array.isArray(value) ? value.filter(isVcpuThread) : null),
};
