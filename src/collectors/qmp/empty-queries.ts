// A query that returns nothing useful is not a failure, so nothing would say it: 3 of the 5
// default queries return [] in every row of a VM under TCG without a disk. Once the first minute
// of polls is over, each query that never returned anything but an empty value gets one
// qmp_query_empty event, naming it and why that can be.
import type { ExactJson } from '../../sink/exact-json';

// Long enough for a VM to attach its devices and for KVM's statistics to appear.
export const EMPTY_WINDOW_NS = 60_000_000_000n;

// Why a query can stay empty, by command.
const WHY_EMPTY: Readonly<Record<string, string>> = {
  'query-blockstats': 'the VM has no block device',
  'query-stats': 'statistics come from KVM: a VM under TCG (no KVM), or a QEMU/kernel without them, has none',
  'query-cpus-fast': 'the VM reports no vCPU',
};

export interface EmptyQuery {
  query: string;
  polls: number;
  window_s: number;
  why: string;
}

export class EmptyQueries {
  private firstPollNs: bigint | null = null;
  private readonly polls = new Map<string, number>();
  private readonly useful = new Set<string>();
  private decided = false;

  constructor(
    private readonly report: (empty: EmptyQuery) => void,
    private readonly windowNs = EMPTY_WINDOW_NS,
  ) {}

  /** One poll's results (by query entry) at `tMonoNs`; reports the empty queries once the window is over. */
  poll(results: Readonly<Record<string, ExactJson>>, tMonoNs: bigint): void {
    if (this.decided) return;
    this.firstPollNs ??= tMonoNs;
    for (const [key, value] of Object.entries(results)) {
      this.polls.set(key, (this.polls.get(key) ?? 0) + 1);
      if (!isEmpty(value)) this.useful.add(key);
    }
    if (tMonoNs - this.firstPollNs < this.windowNs) return;
    this.decided = true;
    for (const [key, polls] of this.polls) {
      if (this.useful.has(key)) continue;
      // An entry is `command` or `command:target` (query-set.ts).
      const why = WHY_EMPTY[key.split(':')[0]!] ?? 'QEMU answered, with nothing in it';
      this.report({ query: key, polls, window_s: Number(this.windowNs / 1_000_000n) / 1000, why });
    }
  }
}

function isEmpty(value: ExactJson): boolean {
  if (value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}
