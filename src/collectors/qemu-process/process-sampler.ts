// One sample of the QEMU process from /proc/PID: CPU time, faults, memory, context switches, I/O,
// and every thread's CPU time with its vCPU if it runs one. It also decides when the process is
// gone: no entry, a zombie, or a different process under the same pid (another start time).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseNumericFields } from '../../proc/numeric-fields';
import { parsePidStat, type PidStat } from '../../proc/pid-stat';
import { KeptOpenFile } from '../../proc/kept-open-file';
import { readFailureReason } from '../../proc/read-proc-file';
import { CounterDeltas } from '../sampling/counter-deltas';
import type { VcpuSource, VcpuThreads } from './vcpu-threads';

// The memory lines of /proc/PID/status worth a row (all in kB); the rest is identity or limits.
const MEMORY_FIELDS = new Set(['VmPeak', 'VmSize', 'VmHWM', 'VmRSS', 'RssAnon', 'RssFile', 'RssShmem', 'VmData', 'VmStk', 'VmExe', 'VmLib', 'VmPTE', 'VmSwap']);
// /proc/PID/status counts the context switches of the main thread only; the row says so.
const SWITCH_FIELDS = new Set(['voluntary_ctxt_switches', 'nonvoluntary_ctxt_switches']);
// Z zombie, X dead: the process has exited and only its entry is left until it is reaped.
const EXITED_STATES = new Set(['Z', 'X']);

export class ProcessSampler {
  private readonly dir: string;
  private readonly files: Record<'stat' | 'status' | 'io', KeptOpenFile>;
  // Each thread's stat, kept open while the thread lives.
  private readonly threadStats = new Map<string, KeptOpenFile>();
  private readonly deltas = new CounterDeltas();
  private readonly threadDeltas = new CounterDeltas();
  private startTimeTicks: number | null = null;
  private ioAvailable = true;

  /** `onIoUnavailable` is called once, with why, the first time /proc/PID/io cannot be read. */
  constructor(
    procRoot: string,
    readonly pid: number,
    private readonly vcpus: VcpuThreads,
    private readonly onIoUnavailable: (reason: string) => void,
  ) {
    this.dir = join(procRoot, String(pid));
    const at = (file: string): KeptOpenFile => new KeptOpenFile(join(this.dir, file));
    this.files = { stat: at('stat'), status: at('status'), io: at('io') };
  }

  /** Closes the files the sampler keeps open. */
  close(): void {
    for (const file of Object.values(this.files)) file.close();
    for (const file of this.threadStats.values()) file.close();
    this.threadStats.clear();
  }

  /** The fields of one row, or null once the process has exited. */
  sample(): Record<string, unknown> | null {
    const stat = this.liveStat();
    const status = stat === null ? null : this.files.status.read();
    const threads = stat === null ? null : this.threads();
    if (stat === null || status === null || threads === null) return null;
    const io = this.io();
    if (io === undefined) return null;
    return {
      pid: this.pid,
      state: stat.state,
      processor: stat.processor,
      num_threads: stat.num_threads,
      vsize_bytes: stat.vsize_bytes,
      ...this.deltas.withDeltas({
        utime_ms: stat.utime_ms,
        stime_ms: stat.stime_ms,
        minflt: stat.minflt,
        majflt: stat.majflt,
        ...prefixed('main_thread_', parseNumericFields(status, SWITCH_FIELDS)),
      }),
      memory: parseNumericFields(status, MEMORY_FIELDS),
      io,
      ...threads,
    };
  }

  // The process's stat while it is the process first seen under this pid and has not exited.
  private liveStat(): PidStat | null {
    const text = this.files.stat.read();
    const stat = text === null ? null : parsePidStat(text);
    if (stat === null || EXITED_STATES.has(stat.state)) return null;
    this.startTimeTicks ??= stat.starttime_ticks;
    return stat.starttime_ticks === this.startTimeTicks ? stat : null;
  }

  // I/O counters; null when unreadable (reported once), undefined when the process is gone.
  private io(): Record<string, unknown> | null | undefined {
    if (!this.ioAvailable) return null;
    let text: string | null;
    try {
      text = this.files.io.read();
    } catch (err) {
      return this.ioUnavailable(readFailureReason(err));
    }
    if (text !== null) return this.deltas.withDeltas(parseNumericFields(text), 'io');
    // Absent: either the process just went, or the kernel has no task I/O accounting.
    return this.liveStat() === null ? undefined : this.ioUnavailable('ENOENT');
  }

  private ioUnavailable(reason: string): null {
    this.ioAvailable = false;
    this.files.io.close();
    this.onIoUnavailable(reason);
    return null;
  }

  // Every thread's CPU time and vCPU; null when the process is gone. A thread that exits while
  // being read is left out of this row.
  private threads(): { vcpu_source: VcpuSource | null; threads: Array<Record<string, unknown>> } | null {
    let tids: string[];
    try {
      tids = readdirSync(join(this.dir, 'task'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    this.threadDeltas.retain(tids);
    this.forgetThreadsOtherThan(tids);
    const stats: Array<{ tid: number; stat: PidStat }> = [];
    for (const tid of tids.map(Number).sort((a, b) => a - b)) {
      const text = this.threadStat(String(tid)).read();
      const stat = text === null ? null : parsePidStat(text);
      if (stat !== null) stats.push({ tid, stat });
    }
    const vcpus = this.vcpus.match(stats.map(({ tid, stat }) => ({ tid, comm: stat.comm })));
    return {
      vcpu_source: vcpus.source,
      threads: stats.map(({ tid, stat }) => ({
        thread_id: tid,
        comm: stat.comm,
        state: stat.state,
        processor: stat.processor,
        ...this.threadDeltas.withDeltas({ utime_ms: stat.utime_ms, stime_ms: stat.stime_ms }, String(tid)),
        vcpu_index: vcpus.byTid.get(tid) ?? null,
      })),
    };
  }

  private threadStat(tid: string): KeptOpenFile {
    let file = this.threadStats.get(tid);
    if (file === undefined) {
      file = new KeptOpenFile(join(this.dir, 'task', tid, 'stat'));
      this.threadStats.set(tid, file);
    }
    return file;
  }

  // QEMU starts and ends worker threads all the time: the files of those gone are closed.
  private forgetThreadsOtherThan(live: readonly string[]): void {
    const keep = new Set(live);
    for (const [tid, file] of this.threadStats) {
      if (keep.has(tid)) continue;
      file.close();
      this.threadStats.delete(tid);
    }
  }
}

function prefixed(prefix: string, fields: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(fields).map(([name, value]) => [prefix + name, value]));
}
