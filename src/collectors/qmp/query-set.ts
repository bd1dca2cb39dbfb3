// The commands a poll runs, from the `queries` option. An entry `name:target` runs `name` with
// {"target": target} (query-stats takes its target that way). Only query commands are accepted:
// a poll repeats every second, and a mistyped `quit` or `stop` there would act on the VM. The
// config loader refuses any other entry (options.ts), so `vmtel validate` names it.
import type { QmpError } from './qmp-message';

/** One `queries` entry: a query command, optionally `:target`. */
export const QUERY_ENTRY = /^(?<command>(?:x-)?query-[a-z0-9-]+)(?::(?<target>[a-z0-9-]+))?$/;
export const QUERY_ENTRY_DOC = 'query-NAME or query-NAME:TARGET';

export interface QmpQuery {
  /** The entry as configured: the key of its result in a row. */
  key: string;
  command: string;
  target: string | undefined;
}

/** The active queries; one this QEMU does not support is dropped for the rest of the run. */
export class QuerySet {
  private queries: QmpQuery[];

  constructor(entries: readonly string[]) {
    this.queries = entries.map(parseQueryEntry);
  }

  get active(): readonly QmpQuery[] {
    return this.queries;
  }

  /**
   * Whether `error` says this QEMU lacks `query`: an unknown command, or a GenericError for a
   * target argument (an older QEMU rejects a target value it does not know that way).
   */
  static isUnsupported(query: QmpQuery, error: QmpError): boolean {
    return error.class === 'CommandNotFound' || (error.class === 'GenericError' && query.target !== undefined);
  }

  drop(key: string): void {
    this.queries = this.queries.filter((query) => query.key !== key);
  }
}

function parseQueryEntry(entry: string): QmpQuery {
  const match = QUERY_ENTRY.exec(entry);
  // The options were checked against QUERY_ENTRY before any worker started.
  if (match?.groups === undefined) throw new Error(`qmp queries: "${entry}" passed the config check but is not ${QUERY_ENTRY_DOC}`);
  return { key: entry, command: match.groups['command']!, target: match.groups['target'] };
}
