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
  run: runQmp,
});
