// query-blockstats reports cumulative counters per disk; a row carries each one raw (exact, for
// cross-checks) and as its change since the previous poll (what a plot of I/O rates wants).
// Keys are already in vmtel's names (result-names.ts). Gauges in the same object (idle_time_ns, wr_highest_offset) and nested layers stay as QEMU sent.
import type { ExactJson } from '../../sink/exact-json';
import { CounterDeltas, type CounterValue } from '../sampling/counter-deltas';
import { isObject, type JsonObject } from './qmp-message';

// QEMU's BlockDeviceStats counters: bytes, operations (failed_/invalid_ ones too), the summed
// latencies and merged requests. Everything else in `stats` is a gauge or a flag.
const COUNTER_NAME = /(_bytes|_operations|_total_time_ns|_merged)$/;

export class BlockstatsDeltas {
  private readonly deltas = new CounterDeltas();

  /** The reply with each disk's `stats` counters followed by their `<name>_delta`. */
  withDeltas(reply: ExactJson): ExactJson {
    if (!Array.isArray(reply)) return reply;
    const scopes: string[] = [];
    const disks = reply.map((disk, index) => {
      if (!isObject(disk) || !isObject(disk['stats'])) return disk;
      const scope = diskScope(disk, index);
      scopes.push(scope);
      return { ...disk, stats: this.statsWithDeltas(disk['stats'], scope) };
    });
    this.deltas.retain(scopes);
    return disks;
  }

  private statsWithDeltas(stats: JsonObject, scope: string): JsonObject {
    const counters: Record<string, CounterValue> = {};
    const others: JsonObject = {};
    for (const [name, value] of Object.entries(stats)) {
      if (COUNTER_NAME.test(name) && (typeof value === 'number' || typeof value === 'bigint')) counters[name] = value;
      else others[name] = value;
    }
    return { ...this.deltas.withDeltas(counters, scope), ...others };
  }
}

// A disk is named by its drive id when it has one; -blockdev disks have only a qdev path or node.
function diskScope(disk: JsonObject, index: number): string {
  for (const key of ['device', 'qdev', 'node_name']) {
    const name = disk[key];
    if (typeof name === 'string' && name !== '') return `${key}=${name}`;
  }
  return `index=${index}`;
}
