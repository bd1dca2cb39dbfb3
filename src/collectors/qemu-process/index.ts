// The `qemu_process` collector: the QEMU process as the host kernel sees it — CPU time per thread
// and per vCPU, memory, faults, context switches, I/O — one row per tick from the moment its pid
// file names a QEMU process until that process exits. A lab-only source: the guest cannot see its
// own QEMU. A pid file naming any other process (pid 1, a stale pid reused) is an event and a wait,
// as for a missing one: that process is never sampled as QEMU.
import type { CollectorContext, CollectorOutcome } from '../contract';
import { defineBuiltIn } from '../contract';
import { TICKER_STATS } from '../sampling/ticker';
import type { OptionsOf } from '../../config/option-spec';
import { intervalOption } from '../sampling/interval-option';
import { sampleEveryTick, type Sample } from '../sampling/sample-loop';
import { readQemuPidfile } from '../../proc/pid-file';
import { ProcessSampler } from './process-sampler';
import { VCPU_THREADS } from '../topics';
import { VcpuThreads } from './vcpu-threads';
import { WaitReport } from '../waiting/wait-report';
import { diagnosePidfile } from './pidfile-diagnosis';

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
  process_names: {
    type: 'string-list',
    // The names QEMU's system emulators are installed under (qemu-system-x86_64, …), and the
    // RHEL/CentOS build's; a trailing * matches any rest.
    default: ['qemu-system-*', 'qemu-kvm'],
    // Anywhere else a "*" would be matched as itself, which no executable's name holds.
    item: { pattern: /^[^*]+\*?$/, doc: 'a process name, "*" only at its end' },
    doc: "the pid file's process counts as QEMU only when its executable's name matches one of these (a trailing * matches any rest)",
  },
} as const;

/** The collector reading `procRoot`; tests point it at a tree of their own. */
export function createQemuProcessCollector(procRoot = '/proc') {
  return defineBuiltIn({
    kind: 'qemu_process',
    description: 'CPU time per thread and vCPU, memory, faults, context switches and I/O of the QEMU process from /proc',
    options,
    defaultAvailableInDeployment: false,
    stats: TICKER_STATS,
    // CPU time, faults, context switches and /proc/PID/io only grow; memory and states are gauges.
    // `threads.*`: the same per thread (a list's fields are named without the element, export.md).
    counters: ['utime_ms', 'stime_ms', 'minflt', 'majflt', 'main_thread_*_ctxt_switches', 'io.*', 'threads.utime_ms', 'threads.stime_ms'],
    run: (ctx) => watchQemuProcess(ctx, procRoot),
  });
}

export const collector = createQemuProcessCollector();

function watchQemuProcess(ctx: CollectorContext<OptionsOf<typeof options>>, procRoot: string): Promise<CollectorOutcome> {
  const { pidfile, pidfile_timeout_s: timeoutS } = ctx.options;
  const vcpus = new VcpuThreads();
  ctx.subscribe(VCPU_THREADS, (threads) => vcpus.update(threads));
  const giveUpMonoNs = ctx.clock.monoNs() + BigInt(Math.round(timeoutS * NS_PER_S));

  // The pid file, looked at now and then on every tick until it names a QEMU process.
  let refusedPid: number | null = null;
  const attach = (): ProcessSampler | null => {
    const found = readQemuPidfile(pidfile, ctx.options.process_names, procRoot);
    if (found.kind === 'absent') return null;
    if (found.kind === 'not_qemu') {
      // Once per pid: the file is looked at every tick until it changes.
      if (found.pid !== refusedPid) {
        refusedPid = found.pid;
        ctx.emit('qemu_process_not_qemu', { pidfile, pid: found.pid, process_name: found.processName, process_names: ctx.options.process_names });
        ctx.log.warn(`pid file ${pidfile} names pid ${found.pid} (${found.processName ?? 'no such process'}), not a QEMU process; waiting`);
      }
      return null;
    }
    const { pid } = found;
    ctx.emit('qemu_process_found', { pid });
    return new ProcessSampler(procRoot, pid, vcpus, (reason) => ctx.emit('qemu_process_io_unavailable', { pid, reason }));
  };
  let sampler = attach();
  if (sampler === null) ctx.emit('qemu_process_waiting_for_pidfile', { pidfile });
  const waiting = new WaitReport(ctx.log, "QEMU's pid file");

  return sampleEveryTick(
    ctx,
    ctx.options.interval_ms,
    (): Sample => {
      sampler ??= attach();
      if (sampler === null) {
        if (ctx.clock.monoNs() < giveUpMonoNs) {
          waiting.failed(diagnosePidfile(pidfile));
          return null;
        }
        ctx.emit('qemu_process_pidfile_timeout', { pidfile, timeout_s: timeoutS });
        ctx.log.warn(`qemu_process: gave up after ${timeoutS} s: ${diagnosePidfile(pidfile)}`);
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
