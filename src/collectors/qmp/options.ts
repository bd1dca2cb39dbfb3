// The qmp options, declared once: the config loader validates and documents them, the collector
// receives them typed, and tests start from the same defaults.
import type { OptionsOf } from '../../config/option-spec';
import { intervalOption } from '../sampling/interval-option';
import { connectTimeoutOption } from '../unix-client/connect-timeout-option';
import { QUERY_ENTRY, QUERY_ENTRY_DOC } from './query-set';
import { rowKeyOf } from './result-names';

/** What a default poll asks QEMU: run state, disk counters, vCPU threads and KVM's statistics. */
export const DEFAULT_QUERIES = ['query-status', 'query-blockstats', 'query-cpus-fast', 'query-stats:vm', 'query-stats:vcpu'];

export const qmpOptions = {
  socket: {
    type: 'path',
    relativeTo: 'run_dir',
    // QEMU's `-qmp unix:RUN_DIR/qmp.sock,server=on,wait=off` side of the monitor.
    default: 'qmp.sock',
    doc: 'unix socket of the QMP monitor (QEMU is the server, vmtel connects)',
  },
  connect_timeout_s: connectTimeoutOption('qmp_connect_failed'),
  interval_ms: intervalOption(1000),
  queries: {
    type: 'string-list',
    default: DEFAULT_QUERIES,
    // A poll repeats every second: anything but a query command would act on the VM.
    item: { pattern: QUERY_ENTRY, doc: QUERY_ENTRY_DOC },
    // An entry names the key of its result in a row: twice, or two entries of one row key
    // (`query-a:b` and `query-a-b` are both `query_a_b`), would be one key written twice.
    check: (queries: readonly string[]) => {
      if (new Set(queries).size !== queries.length) return 'each query at most once';
      return new Set(queries.map(rowKeyOf)).size === queries.length ? null : 'no two queries of one row key (`-` and `:` both read as `_`)';
    },
    doc: 'query-* commands run on every poll; `query-stats:vm` runs query-stats with target vm',
  },
  reply_timeout_ms: {
    type: 'integer',
    // QEMU answers a query within milliseconds; ten seconds covers a main loop held up by slow
    // storage without leaving the collector waiting out the episode on a lost reply.
    default: 10_000,
    // Under 100 ms a busy host's QEMU would be reconnected for nothing.
    min: 100,
    max: 600_000,
    unit: 'milliseconds',
    doc: 'a command whose reply takes longer is lost: qmp_reply_timeout, then vmtel reconnects',
  },
  stop_on_vm_exit: {
    type: 'boolean',
    default: true,
    doc: "QEMU's SHUTDOWN or the socket closing ends the episode (false: reconnect with backoff)",
  },
} as const;

export type QmpOptions = OptionsOf<typeof qmpOptions>;
