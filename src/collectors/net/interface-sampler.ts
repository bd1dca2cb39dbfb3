// One sample of a network interface's kernel counters (/sys/class/net/IFACE/statistics/*),
// following the interface as it comes and goes: a tap device exists only while its VM runs, and
// may be created after vmtel starts or deleted before it stops. Comings and goings are reported
// once each, through `onChange`.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { KeptOpenFile } from '../../proc/kept-open-file';
import { nullIfGone } from '../../proc/read-proc-file';
import { CounterDeltas } from '../sampling/counter-deltas';

/** `missing`: absent at the first look; `appeared`: present again after being absent; `lost`: gone. */
export type InterfaceChange = 'missing' | 'appeared' | 'lost';

export class InterfaceSampler {
  private readonly deltas = new CounterDeltas();
  private present: boolean | null = null;
  // The interface's files, kept open while it exists; null until it is seen.
  private files: { operstate: KeptOpenFile; counters: Array<[name: string, file: KeptOpenFile]> } | null = null;

  constructor(
    private readonly sysClassNet: string,
    private readonly iface: string,
    private readonly onChange: (change: InterfaceChange) => void,
  ) {}

  /** The fields of one row, or null while the interface does not exist. */
  sample(): Record<string, unknown> | null {
    const counters = this.readCounters();
    if (counters === null) {
      this.close();
      if (this.present !== false) this.onChange(this.present === null ? 'missing' : 'lost');
      this.present = false;
      // A re-created interface starts its counters again: no delta across the gap.
      this.deltas.retain();
      return null;
    }
    if (this.present === false) this.onChange('appeared');
    this.present = true;
    const operstate = this.files?.operstate.read()?.trim() ?? null;
    return { interface: this.iface, operstate, ...this.deltas.withDeltas(counters) };
  }

  /** Closes the interface's files. */
  close(): void {
    this.files?.operstate.close();
    for (const [, file] of this.files?.counters ?? []) file.close();
    this.files = null;
  }

  // Every counter, or null when the interface is gone (even halfway through the reading).
  private readCounters(): Record<string, number> | null {
    const files = (this.files ??= this.openFiles());
    if (files === null) return null;
    const counters: Record<string, number> = {};
    for (const [name, file] of files.counters) {
      const text = file.read();
      if (text === null) return null;
      // A value that is not a plain count (never seen from a real driver) is left out of the row.
      if (/^\d+\n?$/.test(text)) counters[name] = Number(text);
    }
    return counters;
  }

  // The interface's files by name (its counters are a fixed set while it exists), or null when
  // it does not exist.
  private openFiles(): InterfaceSampler['files'] {
    const dir = join(this.sysClassNet, this.iface);
    const names = nullIfGone(() => readdirSync(join(dir, 'statistics')).sort());
    if (names === null) return null;
    return {
      operstate: new KeptOpenFile(join(dir, 'operstate')),
      counters: names.map((name) => [name, new KeptOpenFile(join(dir, 'statistics', name))]),
    };
  }
}
