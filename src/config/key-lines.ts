// Where each key of a YAML file stands, so a problem found in the parsed data can name its line.
// js-yaml returns plain data without positions; its `listener` reports every node as it opens and
// closes, and this module rebuilds the node tree from those events to map key paths to lines.
import { load, type State } from 'js-yaml';

/** Keys and list indexes from the root, e.g. ['collectors', 'qmp', 'interval_ms']. */
export type KeyPath = readonly (string | number)[];

/** `collectors.net.interfaces[1]`: the form a user reads in a message. */
export function formatKeyPath(path: KeyPath): string {
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join('');
}

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

interface Node {
  /** 0-based line where the parser stood when the node closed: a key scalar's own line. */
  line: number;
  result: unknown;
  children: Node[];
}

/** Parses `text` with the default (safe) schema; a syntax error throws js-yaml's YAMLException. */
export function parseYaml(text: string): YamlDocument {
  const stack: Node[] = [{ line: 0, result: undefined, children: [] }];
  const data = load(text, {
    listener(event: 'open' | 'close', state: State) {
      if (event === 'open') {
        stack.push({ line: state.line, result: undefined, children: [] });
        return;
      }
      const node = stack.pop() as Node;
      node.line = state.line;
      node.result = state.result;
      stack.at(-1)?.children.push(node);
    },
  });
  const lines = new KeyLines();
  const root = stack[0]?.children[0];
  if (root !== undefined) recordKeys(root, [], lines);
  return { data, lines };
}

// A mapping's children alternate key, value; a sequence's children are its items. Some nodes come
// wrapped in a node holding the very same value (the root scalar, sequence items): unwrap those.
function recordKeys(wrapped: Node, path: KeyPath, lines: KeyLines): void {
  const node = unwrap(wrapped);
  const { result } = node;
  if (Array.isArray(result)) {
    node.children.forEach((child, index) => recordKeys(child, [...path, index], lines));
    return;
  }
  if (typeof result !== 'object' || result === null) return;
  for (let index = 0; index + 1 < node.children.length; index += 2) {
    const keyNode = unwrap(node.children[index] as Node);
    const key = String(keyNode.result);
    // A flow entry without a value (`{a, b: 1}`) has no value node and breaks the alternation;
    // its keys then fall back to the mapping's line rather than take a wrong one.
    if (!Object.hasOwn(result, key)) continue;
    lines.record([...path, key], keyNode.line + 1);
    recordKeys(node.children[index + 1] as Node, [...path, key], lines);
  }
}

function unwrap(node: Node): Node {
  let current = node;
  for (;;) {
    const only = current.children.length === 1 ? current.children[0] : undefined;
    if (only === undefined || !Object.is(only.result, current.result)) return current;
    current = only;
  }
}
