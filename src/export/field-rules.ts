// Which fields of a source get a declared type and which are counters. Declared types, never
// inferred ones, for the fields vmtel itself writes: the stamps are BIGINT and the built-in
// collectors' u64 counters UBIGINT, so no integer is rounded anywhere. A collector's definition
// names its counters (`counters`, patterns of flattened names); the rest are gauges.

// Host stamps: vmtel writes them, always within BIGINT.
const HOST_STAMP = /^t_(mono|wall)_ns$/;
// The guest's own clocks and the host time of a guest stamp (t_guest_host_ns): BIGINT when
// every value fits, which a guest cannot be trusted to keep.
const GUEST_STAMP = /^t_guest_[a-z_]*ns$/;
// Types read_json may guess from text (a date-looking string): the export keeps text as text.
const KEPT_TYPES = new Set(['BOOLEAN', 'BIGINT', 'UBIGINT', 'HUGEINT', 'DECIMAL(38,0)', 'DOUBLE', 'VARCHAR', 'JSON']);
// Bookkeeping, not measurements: never on the feature grid; and `rows_in_bin`, the name the grid
// gives its own count of a source's rows.
const NOT_FEATURES = /^(t_mono_ns|t_wall_ns|t_guest_.*|tick|available_in_deployment|rows_in_bin)$/;

/** The rules of one source. */
export interface FieldRules {
  /** The declared type of a leaf, given what DuckDB inferred from every row. */
  typeOf(name: string, inferred: string): string;
  /** Whether a flattened field is a counter (a cumulative value: rate per second on the grid). */
  isCounter(name: string): boolean;
  /** The patterns the rules came from, for dataset.json. */
  counterPatterns: readonly string[];
}

/** Rules from a definition's counter patterns; `trusted`: vmtel's own collector (counters are u64). */
export function fieldRules(counterPatterns: readonly string[], trusted: boolean): FieldRules {
  const counters = counterPatterns.map(patternRegExp);
  const isCounter = (name: string): boolean => counters.some((pattern) => pattern.test(name));
  return {
    counterPatterns,
    isCounter,
    typeOf(name, inferred) {
      const type = KEPT_TYPES.has(inferred) ? inferred : 'VARCHAR';
      if (HOST_STAMP.test(name) && type !== 'VARCHAR') return 'BIGINT';
      if (GUEST_STAMP.test(name) && type === 'BIGINT') return 'BIGINT';
      // A built-in counter and its recorded delta are never negative: u64 as QEMU and the kernel keep them.
      if (trusted && type === 'BIGINT' && isCounter(name.replace(/_delta$/, ''))) return 'UBIGINT';
      return type;
    },
  };
}

/** Whether a numeric field goes on the feature grid: not a stamp, not the recorded delta of a counter. */
export function isFeatureField(name: string, rules: FieldRules): boolean {
  if (NOT_FEATURES.test(name)) return false;
  return !(name.endsWith('_delta') && rules.isCounter(name.slice(0, -'_delta'.length)));
}

// `*` stands for any run of characters, dots included; everything else is literal.
function patternRegExp(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`);
}
