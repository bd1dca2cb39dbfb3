// Kernel and QEMU counters only ever grow, so a row carries each one twice: the raw value (exact,
// comparable across files) and its change since the previous sample (what a plot wants). One
// helper does this for every periodic collector, so every file spells the pair the same way.
export type CounterValue = number | bigint;

/** `name` and `name_delta` for every counter of one sample. */
export type CountersWithDeltas = Record<string, CounterValue | null>;

/** Remembers the previous sample of each scope (a CPU, a thread, a disk) to compute deltas. */
export class CounterDeltas {
  private readonly previous = new Map<string, ReadonlyMap<string, CounterValue>>();

  /**
   * Each counter followed by `<name>_delta`: its change since the last call for `scope`. The
   * delta is null on a scope's first sample and when the counter went backwards (it was reset:
   * an interface re-created, a device re-attached), never a negative or invented number.
   */
  withDeltas(counters: Readonly<Record<string, CounterValue>>, scope = ''): CountersWithDeltas {
    const before = this.previous.get(scope);
    const row: CountersWithDeltas = {};
    const now = new Map<string, CounterValue>();
    for (const [name, raw] of Object.entries(counters)) {
      now.set(name, raw);
      row[name] = raw;
      row[`${name}_delta`] = delta(before?.get(name), raw);
    }
    this.previous.set(scope, now);
    return row;
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
