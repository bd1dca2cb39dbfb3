// Pressure stall information (/proc/pressure/{cpu,memory,io}, Linux ≥ 4.20 with PSI enabled):
// "some avg10=0.00 avg60=0.00 avg300=0.00 total=0" and a "full" line. The averages are
// percentages over 10/60/300 s; total is the cumulated stall time in microseconds.

export interface PressureLine {
  avg10: number;
  avg60: number;
  avg300: number;
  total_us: number;
}

/** `{some, full}` as present in the file; a line of another shape is left out. */
export function parsePressure(text: string): Record<string, PressureLine> {
  const lines: Record<string, PressureLine> = {};
  for (const line of text.split('\n')) {
    const match = /^(\w+) avg10=([\d.]+) avg60=([\d.]+) avg300=([\d.]+) total=(\d+)$/.exec(line.trim());
    if (match === null) continue;
    const [, kind = '', avg10, avg60, avg300, total] = match;
    lines[kind] = { avg10: Number(avg10), avg60: Number(avg60), avg300: Number(avg300), total_us: Number(total) };
  }
  return lines;
}
