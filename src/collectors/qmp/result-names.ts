// QEMU names its keys in kebab-case (`thread-id`, `cpu-index`, `node-name`); vmtel's rows use one
// convention for every source (docs/data-model.md): snake_case, a host thread is `thread_id`, a
// vCPU `vcpu_index`. A poll's results are renamed here, once, before they are written or read by
// anything else; values are untouched (u64 counters stay exact bigints).
import type { ExactJson } from '../../sink/exact-json';
import { isObject, type JsonObject } from './qmp-message';

/** The key of a query entry's result (and error) in a row: `query-stats:vm` → `query_stats_vm`. */
export function rowKeyOf(entry: string): string {
  return entry.replace(/[-:]/g, '_');
}

// Keys whose snake_case spelling would say something else: query-cpus-fast's `cpu-index` is a
// vCPU's index; `props.thread-id` is a vCPU's SMT thread number in its core, not a host thread.
const CPU_ENTRY_NAMES: Readonly<Record<string, string>> = { 'cpu-index': 'vcpu_index' };
const CPU_PROPS_NAMES: Readonly<Record<string, string>> = { 'thread-id': 'thread_index' };

/** QEMU's `value` for `command` with every object key in vmtel's convention. */
export function withRowNames(command: string, value: ExactJson): ExactJson {
  if (command !== 'query-cpus-fast' || !Array.isArray(value)) return snakeKeys(value, {});
  return value.map((cpu) => {
    if (!isObject(cpu)) return snakeKeys(cpu, {});
    const renamed = snakeKeys(cpu, CPU_ENTRY_NAMES) as JsonObject;
    return isObject(cpu['props']) ? { ...renamed, props: snakeKeys(cpu['props'], CPU_PROPS_NAMES) } : renamed;
  });
}

// Every key of `value`, at every depth, with `-` as `_`; `special` renames keys of the top object.
function snakeKeys(value: ExactJson, special: Readonly<Record<string, string>>): ExactJson {
  if (Array.isArray(value)) return value.map((item) => snakeKeys(item, {}));
  if (!isObject(value)) return value;
  const renamed: JsonObject = {};
  for (const [key, inner] of Object.entries(value)) renamed[special[key] ?? key.replaceAll('-', '_')] = snakeKeys(inner, {});
  return renamed;
}
