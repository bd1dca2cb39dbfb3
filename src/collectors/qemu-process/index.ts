// The `qemu_process` collector: the QEMU process as the host kernel sees it — CPU time per thread
// and per vCPU, memory, faults, context switches, I/O — one row per tick from the moment its pid
// file appears until the process exits. A lab-only source: the guest cannot see its own QEMU.
import type { CollectorContext, CollectorOutcome } from '../contract';
import { defineCollector } from '../contract';
import type { OptionsOf } from '../../config/option-spec';
import { intervalOption } from '../sampling/interval-option';
import { sampleEveryTick, type Sample } from '../sampling/sample-loop';
import { readPidfile } from '../../proc/pid-file';
import { ProcessSampler } from './process-sampler';
import { VCPU_THREADS_TOPIC } from '../topics';
import { VcpuThreads } from './vcpu-threads';

const NS_PER_S = 1e9;

const options = {
  pidfile: {
    type: 'path',
    default: 'qemu.pid',
    relativeTo: 'run_dir',
    doc: "QEMU's pid file (its -pidfile argument)",
  },
  pidfile_timeout_s: {
    type: 'number',
    // A VM is normally started within seconds of vmtel; a minute covers a slow image copy
    // without leaving a collector waiting through a whole episode for a VM that never came.
    default: 60,
    min: 0,
    exclusiveMin: true,
    unit: 'seconds',
    doc: 'how long to wait for the pid file before giving up',
  },
  interval_ms: intervalOption(1000),
} as const;

/** The collector reading `procRoot`; tests point it at a tree of their own. */
export function createQemuProcessCollector(procRoot = '/proc') {
  return defineCollector({
    kind: 'qemu_process',
    description: 'CPU time per thread and vCPU, memory, faults, context switches and I/O of the QEMU process from /proc',
    options,
    defaultAvailableInDeployment: false,
    // CPU time, faults, context switches and /proc/PID/io only grow; memory and states are gauges.
    counters: ['utime_ms', 'stime_ms', 'minflt', 'majflt', 'main_thread_*_ctxt_switches', 'io.*'],
    run: (ctx) => watchQemuProcess(ctx, procRoot),
  });
}

export const collector = createQemuProcessCollector();

function watchQemuProcess(ctx: CollectorContext<OptionsOf<typeof options>>, procRoot: string): Promise<CollectorOutcome> {
  const { pidfile, pidfile_timeout_s: timeoutS } = ctx.options;
  const vcpus = new VcpuThreads();
  ctx.subscribe(VCPU_THREADS_TOPIC, (value) => vcpus.update(value));
  const giveUpMonoNs = ctx.control.monoNs() + BigInt(Math.round(timeoutS * NS_PER_S));

  // The pid file, looked at now and then on every tick until it names a pid.
  const attach = (): ProcessSampler | null => {
    const pid = readPidfile(pidfile);
    if (pid === null) return null;
    ctx.emit('qemu_process_found', { pid });
    return new ProcessSampler(procRoot, pid, vcpus, (reason) => ctx.emit('qemu_process_io_unavailable', { pid, reason }));
  };
  let sampler = attach();
  if (sampler === null) ctx.emit('qemu_process_waiting_for_pidfile', { pidfile });

  return sampleEveryTick(
    ctx,
    ctx.options.interval_ms,
    (): Sample => {
      sampler ??= attach();
      if (sampler === null) {
        if (ctx.control.monoNs() < giveUpMonoNs) return null;
        ctx.emit('qemu_process_pidfile_timeout', { pidfile, timeout_s: timeoutS });
        return { outcome: { reason: 'pidfile_timeout' } };
      }
      const fields = sampler.sample();
      if (fields !== null) return { fields };
      ctx.emit('qemu_process_exited', { pid: sampler.pid });
      return { outcome: { reason: 'process_exited' } };
    },
    { close: () => sampler?.close() },
  );
}
