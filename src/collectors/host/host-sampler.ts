// One sample of the host the VM runs on: CPU time per state (all CPUs and each one), memory,
// load and pressure stalls. The /proc root is a parameter so tests can point it at a tree they
// wrote; pressure files are optional (kernels without PSI), everything else is required.
import { join } from 'node:path';
import { VmtelError } from '../../errors';
import { busyFraction, parseCpuTimes } from '../../proc/cpu-times';
import { parseLoadAverage } from '../../proc/loadavg';
import { parseNumericFields } from '../../proc/numeric-fields';
import { parsePressure } from '../../proc/pressure';
import { KeptOpenFile } from '../../proc/kept-open-file';
import { readFailureReason } from '../../proc/read-proc-file';
import { CounterDeltas } from '../sampling/counter-deltas';

const PRESSURE_RESOURCES = ['cpu', 'memory', 'io'] as const;
type RequiredFile = 'stat' | 'meminfo' | 'loadavg';

export class HostSampler {
  private readonly deltas = new CounterDeltas();
  // Per CPU, apart from the rest: CPUs go offline, and their scopes are dropped with them.
  private readonly cpuDeltas = new CounterDeltas();
  private pressureAvailable = true;
  private readonly files: Record<RequiredFile, KeptOpenFile>;
  private readonly pressureFiles: Array<{ resource: string; file: string; kept: KeptOpenFile }>;

  /** `onPressureUnavailable` is called once, with why, the first time pressure cannot be read. */
  constructor(
    procRoot: string,
    private readonly onPressureUnavailable: (reason: string) => void,
  ) {
    const at = (file: string): KeptOpenFile => new KeptOpenFile(join(procRoot, file));
    this.files = { stat: at('stat'), meminfo: at('meminfo'), loadavg: at('loadavg') };
    this.pressureFiles = PRESSURE_RESOURCES.map((resource) => {
      const file = `pressure/${resource}`;
      return { resource, file, kept: at(file) };
    });
  }

  /** The fields of one host row. */
  sample(): Record<string, unknown> {
    const { cpus, system } = parseCpuTimes(this.required('stat'));
    this.cpuDeltas.retain(cpus.keys());
    const perCpu = [...cpus]
      .filter(([name]) => name !== 'cpu')
      .map(([name, times]) => ({ cpu: Number(name.slice('cpu'.length)), ...this.cpuFields(name, times) }));
    return {
      cpu: this.cpuFields('cpu', cpus.get('cpu') ?? {}),
      cpus: perCpu,
      ...this.deltas.withDeltas({ context_switches: system['ctxt'] ?? 0, forks: system['processes'] ?? 0 }),
      procs_running: system['procs_running'] ?? null,
      procs_blocked: system['procs_blocked'] ?? null,
      meminfo: parseNumericFields(this.required('meminfo')),
      loadavg: parseLoadAverage(this.required('loadavg')),
      pressure: this.pressure(),
    };
  }

  private cpuFields(scope: string, times: Record<string, number>): Record<string, unknown> {
    const fields = this.cpuDeltas.withDeltas(times, scope);
    return { ...fields, busy_fraction: busyFraction(fields) };
  }

  private pressure(): Record<string, unknown> | null {
    if (!this.pressureAvailable) return null;
    const pressure: Record<string, unknown> = {};
    for (const { resource, file, kept } of this.pressureFiles) {
      let text: string | null;
      try {
        text = kept.read();
      } catch (err) {
        return this.pressureUnavailable(`${file}: ${readFailureReason(err)}`);
      }
      if (text === null) return this.pressureUnavailable(`${file}: ENOENT`);
      const lines: Record<string, unknown> = {};
      for (const [kind, line] of Object.entries(parsePressure(text))) {
        const { total_us, ...averages } = line;
        lines[kind] = { ...averages, ...this.deltas.withDeltas({ total_us }, `${file}/${kind}`) };
      }
      pressure[resource] = lines;
    }
    return pressure;
  }

  /** Closes the files the sampler keeps open. */
  close(): void {
    for (const kept of Object.values(this.files)) kept.close();
    for (const { kept } of this.pressureFiles) kept.close();
  }

  private pressureUnavailable(reason: string): null {
    this.pressureAvailable = false;
    for (const { kept } of this.pressureFiles) kept.close();
    this.onPressureUnavailable(reason);
    return null;
  }

  private required(file: RequiredFile): string {
    const text = this.files[file].read();
    if (text === null) throw new VmtelError('VMTEL_COLLECTOR_FAILED', `${this.files[file].path} does not exist`);
    return text;
  }
}
