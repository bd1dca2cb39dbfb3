// How a place in the config is named. Apart from key-lines.ts, which needs the YAML parser, so
// that what only names a key (the option checks a collector's worker runs) never loads js-yaml,
// a third of the worker's bundle.

/** Keys and list indexes from the root, e.g. ['collectors', 'qmp', 'interval_ms']. */
export type KeyPath = readonly (string | number)[];

/** `collectors.net.interfaces[1]`: the form a user reads in a message. */
export function formatKeyPath(path: KeyPath): string {
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join('');
}
