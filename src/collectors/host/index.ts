// The `host` collector: the lab host's CPU, memory, load and pressure, one row per tick, so a
// VM's behaviour can be read against what the host was going through. A lab-only source: a
// deployed sensor has no view of its host.
import { defineBuiltIn } from '../contract';
import { TICKER_STATS } from '../sampling/ticker';
import { sampleEveryTick } from '../sampling/sample-loop';
import { intervalOption } from '../sampling/interval-option';
import { HostSampler } from './host-sampler';

/** The collector reading `procRoot`; tests point it at a tree of their own. */
export function createHostCollector(procRoot = '/proc') {
  return defineBuiltIn({
    kind: 'host',
    description: 'host CPU times per CPU, memory, load average and pressure stalls from /proc',
    options: { interval_ms: intervalOption(1000) },
    defaultAvailableInDeployment: false,
    stats: TICKER_STATS,
    // CPU time per state, forks, context switches and stall time only grow; memory, load and the
    // pressure averages are gauges.
    // `cpus.*_ms`: the same per CPU (a list's fields are named without the element, export.md).
    counters: ['cpu.*_ms', 'cpus.*_ms', 'context_switches', 'forks', 'pressure.*.total_us'],
    run(ctx) {
      const sampler = new HostSampler(procRoot, (reason) => ctx.emit('host_pressure_unavailable', { reason }));
      return sampleEveryTick(ctx, ctx.options.interval_ms, () => ({ fields: sampler.sample() }), sampler);
    },
  });
}

export const collector = createHostCollector();
