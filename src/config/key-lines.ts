// Where each key of a YAML file stands, so a problem found in the parsed data can name its line.
// js-yaml returns plain data without positions; its parser's event stream carries each scalar's
// offset in the text, and this module walks those events beside the data to map key paths to lines.
import {
  binaryTag, constructFromEvents, CORE_SCHEMA, EVENT_ID, getScalarValue, mergeTag, omapTag, pairsTag,
  parseEvents, setTag, timestampTag, YAMLException, type Event,
} from 'js-yaml';
import { formatKeyPath, type KeyPath } from './key-path';


/** The 1-based line of every mapping key in a document. */
export class KeyLines {
  private readonly lineByPath = new Map<string, number>();

  record(path: KeyPath, line: number): void {
    this.lineByPath.set(formatKeyPath(path), line);
  }

  /**
   * The line of `path`'s key, or of its nearest ancestor that has one (a missing key, a key
   * merged in through `<<`); null for the document itself.
   */
  lineOf(path: KeyPath): number | null {
    for (let length = path.length; length > 0; length -= 1) {
      const line = this.lineByPath.get(formatKeyPath(path.slice(0, length)));
      if (line !== undefined) return line;
    }
    return null;
  }
}

export interface YamlDocument {
  data: unknown;
  lines: KeyLines;
}

// js-yaml 5 reads YAML 1.2's core schema by default; vmtel's configs keep what js-yaml 4's default
// schema read, so a config that loaded before loads the same: `<<` merge keys (a shared block of
// options), timestamps as dates, binary, omap, pairs and set.
const CONFIG_SCHEMA = CORE_SCHEMA.withTags(mergeTag, timestampTag, binaryTag, omapTag, pairsTag, setTag);

/**
 * Parses `text` as one YAML document (an empty one is `undefined`); a syntax error throws
 * js-yaml's YAMLException.
 */
export function parseYaml(text: string): YamlDocument {
  const events = parseEvents(text, {});
  const documents = constructFromEvents(events, { source: text, schema: CONFIG_SCHEMA });
  if (documents.length > 1) throw new YAMLException('expected a single document in the stream, but found more');
  const data = documents[0];
  const lines = new KeyLines();
  // events[0] opens the document, events[1] is its root node.
  if (documents.length === 1) new KeyWalk(text, events, lines).node(1, [], data);
  return { data, lines };
}

// One pass over the events of a document. A mapping's events are its keys and values in turn, a
// sequence's its items, each closed by a POP; `value` is the constructed data at the same place,
// so a key counts only if the data has it (a `<<` merge key does not, nor a complex key).
class KeyWalk {
  private readonly lineStarts: number[] = [0];

  constructor(private readonly text: string, private readonly events: readonly Event[], private readonly lines: KeyLines) {
    for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) this.lineStarts.push(index + 1);
  }

  /** Walks the node starting at event `at`; returns the index of the event after it. */
  node(at: number, path: KeyPath, value: unknown): number {
    const event = this.events[at];
    if (event?.type === EVENT_ID.MAPPING) return this.mapping(at + 1, path, value);
    if (event?.type === EVENT_ID.SEQUENCE) return this.sequence(at + 1, path, value);
    return at + 1;
  }

  private mapping(first: number, path: KeyPath, value: unknown): number {
    let at = first;
    while (this.events[at] !== undefined && this.events[at]?.type !== EVENT_ID.POP) {
      const keyEvent = this.events[at] as Event;
      const valueAt = this.node(at, [], undefined);
      const key = keyEvent.type === EVENT_ID.SCALAR ? getScalarValue(this.text, keyEvent) : undefined;
      const owned = key !== undefined && typeof value === 'object' && value !== null && Object.hasOwn(value, key);
      if (owned && keyEvent.type === EVENT_ID.SCALAR && keyEvent.valueStart >= 0) this.lines.record([...path, key], this.lineOf(keyEvent.valueStart));
      at = owned ? this.node(valueAt, [...path, key], (value as Record<string, unknown>)[key]) : this.node(valueAt, [], undefined);
    }
    return at + 1;
  }

  private sequence(first: number, path: KeyPath, value: unknown): number {
    let at = first;
    for (let index = 0; this.events[at] !== undefined && this.events[at]?.type !== EVENT_ID.POP; index += 1) {
      at = this.node(at, [...path, index], Array.isArray(value) ? value[index] : undefined);
    }
    return at + 1;
  }

  /** The 1-based line of a character offset. */
  private lineOf(offset: number): number {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.lineStarts[middle] as number) <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  }
}
