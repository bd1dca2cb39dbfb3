// The `net` collector: the kernel's counters of the VM's tap interface, raw and per interval,
// one row per tick: what the VM sent and received as the host saw it, whatever the guest claims.
// A lab-only source: a deployed sensor does not see its host's interfaces.
import { defineCollector } from '../contract';
import { TICKER_STATS } from '../sampling/ticker';
import { intervalOption } from '../sampling/interval-option';
import { sampleEveryTick } from '../sampling/sample-loop';
import { InterfaceSampler } from './interface-sampler';

// Linux interface names (dev_valid_name): 1–15 bytes (IFNAMSIZ 16 with the NUL), no "/", ":"
// or whitespace, not "." or "..". Checked here so a name can never walk out of /sys/class/net.
const INTERFACE_NAME = /^(?!\.\.?$)[^/:\s]{1,15}$/;

/** The collector reading `sysClassNet`; tests point it at a tree of their own. */
export function createNetCollector(sysClassNet = '/sys/class/net') {
  return defineCollector({
    kind: 'net',
    description: "the VM's network interface counters (bytes, packets, errors, drops) from /sys/class/net",
    options: {
      interface: {
        type: 'string',
        pattern: INTERFACE_NAME,
        patternDoc: "a Linux interface name: 1 to 15 characters without '/', ':' or spaces",
        doc: "the host-side interface of the VM (its tap device), e.g. 'tap-vm1'",
      },
      interval_ms: intervalOption(1000),
    },
    defaultAvailableInDeployment: false,
    stats: TICKER_STATS,
    // Every file of statistics/ is a counter the kernel only increments.
    counters: ['rx_*', 'tx_*', 'collisions', 'multicast'],
    run(ctx) {
      const iface = ctx.options.interface;
      const sampler = new InterfaceSampler(sysClassNet, iface, (change) =>
        ctx.emit(`net_interface_${change}`, { interface: iface }),
      );
      return sampleEveryTick(
        ctx,
        ctx.options.interval_ms,
        () => {
          const fields = sampler.sample();
          return fields === null ? null : { fields };
        },
        sampler,
      );
    },
  });
}

export const collector = createNetCollector();
