// collectd 5.12 (Debian's collectd-core), the idle benchmark's peer: the daemon that does what
// vmtel's host-side samplers do, as a lab would run it. Each instance gets a config of its own
// in a bench dir (its own BaseDir, PIDFile and CSV folder), runs in the foreground (-f) as the
// harness's child and is ended with SIGTERM, so no daemon is ever left behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withDeadline } from '../../test/helpers/wait-for';
import { ensureCommand } from './ensure-command';
import { liveThreadsCpuMs, processMemory, type Memory } from './proc-usage';

/** Where Debian's collectd-core installs the daemon (/usr/sbin is not on every user's PATH). */
export const COLLECTD = '/usr/sbin/collectd';

/** Installs collectd-core with apt-get when the daemon is missing and this is root. */
export function ensureCollectd(): void {
  ensureCommand(COLLECTD, ['-h'], 'collectd-core');
}

// The plugins of vmtel's host (cpu per CPU, memory, load), net (interface) and qemu_process
// (processes, one matched process with its context switches, as qemu_process records them; file
// descriptors and memory maps, which vmtel does not count, are off as by default), every
// second, written as CSV as vmtel writes JSONL. Everything else is collectd's default.
export function collectdConfig(dir: string, iface: string, processRegex: string): string {
  return `Hostname "bench"
FQDNLookup false
BaseDir "${dir}"
PIDFile "${join(dir, 'collectd.pid')}"
Interval 1
LoadPlugin cpu
LoadPlugin memory
LoadPlugin load
LoadPlugin interface
LoadPlugin processes
LoadPlugin csv
<Plugin cpu>
  ReportByCpu true
</Plugin>
<Plugin interface>
  Interface "${iface}"
  IgnoreSelected false
</Plugin>
<Plugin processes>
  <ProcessMatch "qemu" "${processRegex}">
    CollectContextSwitch true
  </ProcessMatch>
</Plugin>
<Plugin csv>
  DataDir "${join(dir, 'csv')}"
  StoreRates false
</Plugin>
`;
}

/** A POSIX extended regex matching `text` literally, quoted for collectd's config. */
export function literalRegex(text: string): string {
  return text.replace(/[.[\]()*+?{}|^$\\]/g, '\\$&').replace(/["\\]/g, '\\$&');
}

// What every instance must have written by its end: one folder per plugin instance.
const EXPECTED_FOLDERS = ['cpu-0', 'memory', 'load', 'interface-lo', 'processes', 'processes-qemu'];

export class CollectdChild {
  readonly pid: number;
  private readonly exited: Promise<unknown>;
  private stderr = '';

  private constructor(
    private readonly dir: string,
    private readonly child: ChildProcess,
  ) {
    this.pid = child.pid ?? NaN;
    this.exited = once(child, 'exit');
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
  }

  /** Writes the config into `dir` (created) and starts collectd on it, sampling the process whose command line matches `processRegex`. */
  static start(dir: string, processRegex: string): CollectdChild {
    mkdirSync(dir, { recursive: true });
    const configPath = join(dir, 'collectd.conf');
    writeFileSync(configPath, collectdConfig(dir, 'lo', processRegex));
    return new CollectdChild(dir, spawn(COLLECTD, ['-f', '-C', configPath], { stdio: ['ignore', 'ignore', 'pipe'] }));
  }

  /** CPU of its live threads so far, to the µs (its threads live as long as it does). */
  preciseCpuMs(): number {
    return liveThreadsCpuMs(this.pid);
  }

  memory(): Memory {
    return processMemory(this.pid);
  }

  /** SIGTERM, then its exit (SIGKILL past the deadline). */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    await withDeadline('collectd to exit', this.exited, 10_000).catch((err: unknown) => {
      this.child.kill('SIGKILL');
      throw err;
    });
  }

  /** What is wrong with what it wrote: a plugin without rows, or not exactly one matched process. */
  problems(): string[] {
    const csv = join(this.dir, 'csv', 'bench');
    const problems: string[] = [];
    for (const folder of EXPECTED_FOLDERS) {
      const files = readdirSync(join(csv, folder), { withFileTypes: true }).filter((f) => f.isFile());
      const rows = files.map((f) => readFileSync(join(csv, folder, f.name), 'latin1').split('\n').length - 2);
      if (files.length === 0 || Math.min(...rows) < 1) problems.push(`collectd ${folder}: no rows`);
    }
    const counts = readdirSync(join(csv, 'processes-qemu')).find((f) => f.startsWith('ps_count'));
    const last = counts === undefined ? '' : (readFileSync(join(csv, 'processes-qemu', counts), 'latin1').trim().split('\n').at(-1) ?? '');
    if (last.split(',')[1] !== '1.000000') problems.push(`collectd matched not one process: ps_count ${last} ${this.stderr.trim()}`);
    return problems;
  }
}
