// The guest_agent options, declared once: the config loader validates and documents them, the
// collector receives them typed. Defaults are those of the collector vmtel replaced, so an
// existing per-VM YAML keeps its meaning.
import type { OptionsOf } from '../../config/option-spec';
import { connectTimeoutOption } from '../unix-client/connect-timeout-option';

export const guestAgentOptions = {
  socket: {
    type: 'path',
    relativeTo: 'run_dir',
    // QEMU's `-chardev socket,path=RUN_DIR/agent.sock,server=on,wait=off` side of the port.
    default: 'agent.sock',
    doc: 'unix socket of the virtserialport chardev (QEMU is the server, vmtel connects)',
  },
  connect_timeout_s: connectTimeoutOption('guest_agent_connect_failed'),
  silent_warn_after_s: {
    type: 'number',
    // A guest agent writes its first row within a tick or two of boot.
    default: 5,
    min: 0,
    exclusiveMin: true,
    unit: 'seconds',
    doc: 'connected but no byte yet for this long: guest_agent_silent_window',
  },
  stall_warn_after_s: {
    type: 'number',
    // Ten ticks of a 1 s agent: longer than any scheduling hiccup, short enough to see a hang.
    default: 10,
    min: 0,
    exclusiveMin: true,
    unit: 'seconds',
    doc: 'bytes flowed, then none for this long: guest_agent_stalled',
  },
  clock_step_threshold_ms: {
    type: 'number',
    // Over twice the longest delivery delay seen on a 2-core TCG host under full CPU load (p99
    // 86–217 ms): a late row is not a step, while a pause or an NTP jump of half a second is.
    default: 500,
    min: 0,
    exclusiveMin: true,
    unit: 'milliseconds',
    doc: 'a guest clock that moves this far from its running estimate: guest_agent_clock_step',
  },
  reconnect: {
    type: 'boolean',
    default: true,
    doc: 'reconnect with backoff when QEMU closes the socket (false: the collector finishes when the socket closes)',
  },
  max_line_bytes: {
    type: 'integer',
    // 1 MiB: thousands of times an agent row, and the most one guest line may hold in memory.
    default: 1024 * 1024,
    min: 2,
    // 64 MiB: beyond this the bound on memory stops being a bound.
    max: 64 * 1024 * 1024,
    unit: 'bytes',
    doc: 'a longer line (newline excluded) is dropped up to the next newline',
  },
  max_depth: {
    type: 'integer',
    // Agent rows are flat or one level deep; 32 leaves room for any honest structure.
    default: 32,
    min: 1,
    // The depth check is a loop, not recursion, but analysis tools that recurse are not.
    max: 1000,
    doc: 'rows nested deeper than this many objects/arrays are dropped',
  },
} as const;

export type GuestAgentOptions = OptionsOf<typeof guestAgentOptions>;
