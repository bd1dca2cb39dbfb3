// How a field's rows in a bin become its value on the grid, said once for a row's fields and for
// the fields of a list's elements: a gauge is the mean of the bin's values; a counter is its rate
// per second, Σ Δvalue / Σ Δt × 1e9 over the intervals (from the previous row of the same series,
// window `w`) that end in the bin, an interval over which it went backwards (a reset) left out.

export type BinRule = 'rate_per_s' | 'mean';

/** The per-row expression of field `j`: its value, or its change since the series' previous row. */
export function rowValueSql(rule: BinRule, valueSql: string, integer: boolean, j: number): string {
  if (rule === 'mean') return `${valueSql} AS v${j}`;
  // Exact for integers: a u64 counter's change is taken as HUGEINT before it becomes a rate.
  const exact = integer ? `${valueSql}::HUGEINT` : `${valueSql}::DOUBLE`;
  return `${exact} - lag(${exact}) OVER w AS d${j}`;
}

/** The bin's aggregate of field `j` (rows hold `dt` when any rule is a rate). */
export function binValueSql(rule: BinRule, j: number): string {
  return rule === 'mean' ? `avg(v${j}) AS f${j}` : `sum(d${j}) FILTER (d${j} >= 0)::DOUBLE * 1e9 / sum(dt) FILTER (d${j} >= 0) AS f${j}`;
}

/** `, t - lag(t) OVER w AS dt` when a rate needs the interval, else ''. */
export function intervalSql(rules: readonly BinRule[], t: string): string {
  return rules.includes('rate_per_s') ? `, ${t} - lag(${t}) OVER w AS dt` : '';
}
