// The qmp collector: QEMU's own view of the VM (run state, disk counters, vCPU threads, KVM
// statistics) polled over the QMP monitor, and QEMU's async events (STOP, RESUME, SHUTDOWN, …).
// It runs on the host, outside the guest, so its figures are not available in deployment.
import { defineBuiltIn } from '../contract';
import { TICKER_STATS } from '../sampling/ticker';
import { qmpOptions } from './options';
import { runQmp } from './run-qmp';

export const collector = defineBuiltIn({
  kind: 'qmp',
  description: "QEMU's monitor: run state, blockstats, vCPU threads and KVM stats per poll; QMP events",
  options: qmpOptions,
  defaultAvailableInDeployment: false,
  stats: ['polls', 'replies', 'errors', 'events', 'connects', ...TICKER_STATS],
  // query-blockstats' cumulative counters per disk (blockstats-deltas.ts), its parent layers' too;
  // a list's fields are named without the element (export.md). KVM's statistics are gauges here:
  // query-stats does not say which of them only grow.
  counters: ['results.query_blockstats.*stats.*_bytes', 'results.query_blockstats.*stats.*_operations', 'results.query_blockstats.*stats.*_total_time_ns', 'results.query_blockstats.*stats.*_merged'],
  run: runQmp,
});
