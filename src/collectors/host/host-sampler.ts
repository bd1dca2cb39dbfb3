// One sample of the host the VM runs on: CPU time per state (all CPUs and each one), memory,
// load and pressure stalls. The /proc root is a parameter so tests can point it at a tree they
// wrote; pressure files are optional (kernels without PSI), everything else is required.
import { join } from 'node:path';
import { VmtelError } from '../../errors';
import { busyFraction, parseCpuTimes } from '../../proc/cpu-times';
import { parseLoadAverage } from '../../proc/loadavg';
import { parseNumericFields } from '../../proc/numeric-fields';
import { parsePressure } from '../../proc/pressure';
import { readFailureReason, readTextIfPresent } from '../../proc/read-proc-file';
import { CounterDeltas } from '../sampling/counter-deltas';

const PRESSURE_RESOURCES = ['cpu', 'memory', 'io'] as const;

export class HostSampler {
  private readonly deltas = new CounterDeltas();
  // Per CPU, apart from the rest: CPUs go offline, and their scopes are dropped with them.
  private readonly cpuDeltas = new CounterDeltas();
  private pressureAvailable = true;

  /** `onPressureUnavailable` is called once, with why, the first time pressure cannot be read. */
  constructor(
    private readonly procRoot: string,
    private readonly onPressureUnavailable: (reason: string) => void,
  ) {}

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
    for (const resource of PRESSURE_RESOURCES) {
      const file = `pressure/${resource}`;
      let text: string | null;
      try {
        text = readTextIfPresent(join(this.procRoot, file));
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

  private pressureUnavailable(reason: string): null {
    this.pressureAvailable = false;
    this.onPressureUnavailable(reason);
    return null;
  }

  private required(file: string): string {
    const path = join(this.procRoot, file);
    const text = readTextIfPresent(path);
    if (text === null) throw new VmtelError('VMTEL_COLLECTOR_FAILED', `${path} does not exist`);
    return text;
  }
}
