// The one owner of the line format of telemetry-*.jsonl and events.jsonl. Every row begins with
// the collector runtime's head, `{"t_mono_ns":…,"t_wall_ns":…,"source":…,"available_in_deployment":…`,
// and every event with `{"t_mono_ns":…,"t_wall_ns":…,"source":…,"event":…`: those keys are the
// runtime's, never a collector's or a guest's, and this file is the only place that writes them.
import { toJson } from './json-line';

/** The keys of a row's head, in the order they are written. */
export const ROW_HEAD_KEYS = ['t_mono_ns', 't_wall_ns', 'source', 'available_in_deployment'] as const;

/** The host time a row was sampled at, when the source's own clock says so (guest_agent's rows). */
export const SAMPLED_AT_KEY = 't_guest_host_ns';

/** Every key only the runtime may write in a row: a source's own key of that name is renamed. */
export const HOST_OWNED_KEYS: readonly string[] = [...ROW_HEAD_KEYS, SAMPLED_AT_KEY];

/** The keys of an event's head: a field that reuses one is kept as `field_<name>`. */
export const EVENT_HEAD_KEYS = ['t_mono_ns', 't_wall_ns', 'source', 'event'] as const;

/** The rows of one collector: its source and deployability are fixed for the episode. */
export class RowFormat {
  // The constant part after the stamps, built once per collector.
  private readonly tag: string;

  constructor(source: string, availableInDeployment: boolean) {
    this.tag = `,"source":${JSON.stringify(source)},"available_in_deployment":${availableInDeployment}`;
  }

  /** A row's head without its closing brace; the row's own members follow, each led by ",". */
  head(tMonoNs: bigint, tWallNs: bigint): string {
    return `{"t_mono_ns":${tMonoNs},"t_wall_ns":${tWallNs}${this.tag}`;
  }

  /** A head that ends with `,"t_guest_host_ns":`, the row's sample time to follow. */
  sampledHead(tMonoNs: bigint, tWallNs: bigint): string {
    return `${this.head(tMonoNs, tWallNs)},"${SAMPLED_AT_KEY}":`;
  }

  /**
   * The line (ending in "\n") of a row of `fields` (bigints as exact integers). A field under a
   * head key is kept as `field_<name>`, as in events, so the head stays the runtime's.
   */
  line(head: string, fields: Record<string, unknown>): string {
    const body = toJson(withoutKeys(fields, HOST_OWNED_KEYS));
    return body.length > 2 ? `${head},${body.slice(1)}\n` : `${head}}\n`;
  }
}

/** The line (ending in "\n") of one event of `source`. */
export function eventLine(source: string, event: string, fields: Record<string, unknown>, tMonoNs: bigint, tWallNs: bigint): string {
  return `${toJson({ t_mono_ns: tMonoNs, t_wall_ns: tWallNs, source, event, ...withoutKeys(fields, EVENT_HEAD_KEYS) })}\n`;
}

// `fields` with each of `keys` renamed `field_<key>` (again while that name is taken too); the
// same object when none is present, which is the rule.
function withoutKeys(fields: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  if (!keys.some((key) => Object.hasOwn(fields, key))) return fields;
  const renamed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    let name = key;
    while (keys.includes(name) || (name !== key && Object.hasOwn(fields, name))) name = `field_${name}`;
    renamed[name] = value;
  }
  return renamed;
}
