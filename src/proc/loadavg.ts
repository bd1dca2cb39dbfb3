// /proc/loadavg: "0.63 0.39 0.16 1/89 5952" — the three load averages, then runnable/total
// scheduling entities and the last pid handed out.

export interface LoadAverage {
  load1: number;
  load5: number;
  load15: number;
  runnable: number;
  entities: number;
}

/** The parsed line, or null when it does not have the expected shape. */
export function parseLoadAverage(text: string): LoadAverage | null {
  const match = /^(\S+) (\S+) (\S+) (\d+)\/(\d+)/.exec(text);
  if (match === null) return null;
  const [load1, load5, load15, runnable, entities] = match.slice(1).map(Number) as [number, number, number, number, number];
  return { load1, load5, load15, runnable, entities };
}
