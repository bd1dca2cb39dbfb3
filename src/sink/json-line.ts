// JSON.stringify throws on bigint, yet stamps and QEMU's u64 counters are bigints that must be
// written as exact integers. This serialiser writes a bigint as its digits and everything else as
// JSON.stringify would; it is used for events and host-side rows, never on the guest row path.

/** One JSON text, without a trailing newline; `undefined` members are left out as JSON does. */
export function toJson(value: unknown): string {
  switch (typeof value) {
    case 'bigint':
      return value.toString();
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : toJson(v))).join(',')}]`;
      return objectToJson(value as Record<string, unknown>);
    default:
      return 'null';
  }
}

function objectToJson(object: Record<string, unknown>): string {
  const members: string[] = [];
  for (const key of Object.keys(object)) {
    const member = object[key];
    if (member === undefined || typeof member === 'function') continue;
    members.push(`${JSON.stringify(key)}:${toJson(member)}`);
  }
  return `{${members.join(',')}}`;
}
