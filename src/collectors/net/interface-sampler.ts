// One sample of a network interface's kernel counters (/sys/class/net/IFACE/statistics/*),
// following the interface as it comes and goes: a tap device exists only while its VM runs, and
// may be created after vmtel starts or deleted before it stops. Comings and goings are reported
// once each, through `onChange`.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readTextIfPresent } from '../../proc/read-proc-file';
import { CounterDeltas } from '../sampling/counter-deltas';

/** `missing`: absent at the first look; `appeared`: present again after being absent; `lost`: gone. */
export type InterfaceChange = 'missing' | 'appeared' | 'lost';

export class InterfaceSampler {
  private readonly deltas = new CounterDeltas();
  private present: boolean | null = null;

  constructor(
    private readonly sysClassNet: string,
    private readonly iface: string,
    private readonly onChange: (change: InterfaceChange) => void,
  ) {}

  /** The fields of one row, or null while the interface does not exist. */
  sample(): Record<string, unknown> | null {
    const counters = this.readCounters();
    if (counters === null) {
      if (this.present !== false) this.onChange(this.present === null ? 'missing' : 'lost');
      this.present = false;
      // A re-created interface starts its counters again: no delta across the gap.
      this.deltas.retain();
      return null;
    }
    if (this.present === false) this.onChange('appeared');
    this.present = true;
    const operstate = readTextIfPresent(join(this.sysClassNet, this.iface, 'operstate'))?.trim() ?? null;
    return { interface: this.iface, operstate, ...this.deltas.withDeltas(counters) };
  }

  // Every counter file, or null when the interface is gone (even halfway through the reading).
  private readCounters(): Record<string, number> | null {
    const dir = join(this.sysClassNet, this.iface, 'statistics');
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    const counters: Record<string, number> = {};
    for (const name of names) {
      const text = readTextIfPresent(join(dir, name));
      if (text === null) return null;
      // A value that is not a plain count (never seen from a real driver) is left out of the row.
      if (/^\d+\n?$/.test(text)) counters[name] = Number(text);
    }
    return counters;
  }
}
