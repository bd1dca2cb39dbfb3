// /proc/meminfo, /proc/PID/status and /proc/PID/io share one layout: "Name:   value [unit]" per
// line. The numeric lines become fields whose names carry their unit, so a reader never has to
// guess whether a number is bytes, kB or a count: every memory size is in bytes (the kernel's
// "kB" is KiB: "VmRSS: 2048 kB" becomes VmRSS_bytes 2097152), as everywhere in vmtel's rows.
// /proc's kB is 1024 bytes (proc(5)).
const BYTES_PER_KB = 1024;
const NUMERIC_LINE = /^([A-Za-z0-9_()]+):\s+(\d+)(?:\s+(\S+))?\s*$/;

/** The numeric lines of `text` as `{Name[_unit]: value}`; only names in `pick` when given. */
export function parseNumericFields(text: string, pick?: ReadonlySet<string>): Record<string, number> {
  const fields: Record<string, number> = {};
  for (const line of text.split('\n')) {
    // A line's name is all before its first ":" (no name character is one): a line of a name not
    // picked is passed over before the pattern's work (a status file has some 60 lines, a row
    // wants a dozen).
    if (pick !== undefined && !pick.has(line.slice(0, line.indexOf(':')))) continue;
    const match = NUMERIC_LINE.exec(line);
    if (match === null) continue;
    const [, name = '', value = '', unit] = match;
    if (unit === 'kB') fields[`${name}_bytes`] = Number(value) * BYTES_PER_KB;
    else fields[unit === undefined ? name : `${name}_${unit}`] = Number(value);
  }
  return fields;
}
