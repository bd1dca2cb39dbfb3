// Kernel and QEMU counters only ever grow, so a row carries each one twice: the raw value (exact,
// comparable across files) and its change since the previous sample (what a plot wants). One
// helper does this for every periodic collector, so every file spells the pair the same way.
export type CounterValue = number | bigint;

/** `name` and `name_delta` for every counter of one sample. */
export type CountersWithDeltas = Record<string, CounterValue | null>;

/** Remembers the previous sample of each scope (a CPU, a thread, a disk) to compute deltas. */
export class CounterDeltas {
  private readonly previous = new Map<string, ReadonlyMap<string, CounterValue>>();
  // `<name>_delta` per counter name, built once: the same few names come back every tick.
  private readonly deltaNames = new Map<string, string>();

  /**
   * Each counter followed by `<name>_delta`: its change since the last call for `scope`. The
   * delta is null on a scope's first sample and when the counter went backwards (it was reset:
   * an interface re-created, a device re-attached), never a negative or invented number.
   */
  withDeltas(counters: Readonly<Record<string, CounterValue>>, scope = ''): CountersWithDeltas {
    const before = this.previous.get(scope);
    const row: CountersWithDeltas = {};
    const now = new Map<string, CounterValue>();
    // for...in, not Object.entries: no array of pairs per sample (counters are plain objects).
    for (const name in counters) {
      const raw = counters[name]!;
      now.set(name, raw);
      row[name] = raw;
      row[this.deltaName(name)] = delta(before?.get(name), raw);
    }
    this.previous.set(scope, now);
    return row;
  }

  private deltaName(name: string): string {
    let deltaName = this.deltaNames.get(name);
    if (deltaName === undefined) {
      deltaName = `${name}_delta`;
      this.deltaNames.set(name, deltaName);
    }
    return deltaName;
  }

  /** Forgets every scope not in `live` (a thread gone, a CPU offline), or all when none is given. */
  retain(live: Iterable<string> = []): void {
    const keep = new Set(live);
    for (const scope of this.previous.keys()) if (!keep.has(scope)) this.previous.delete(scope);
  }
}

function delta(before: CounterValue | undefined, raw: CounterValue): CounterValue | null {
  if (before === undefined || typeof before !== typeof raw) return null;
  if (typeof raw === 'bigint') return raw >= (before as bigint) ? raw - (before as bigint) : null;
  return raw >= (before as number) ? raw - (before as number) : null;
}
