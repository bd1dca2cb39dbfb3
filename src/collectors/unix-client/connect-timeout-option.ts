// Every collector that connects to a QEMU socket takes the same `connect_timeout_s` option,
// declared once so its default, bound and unit cannot drift apart between collectors.
import type { NumberSpec } from '../../config/option-spec';

// Long enough for QEMU to start and bind its sockets on a loaded host, short enough that a VM
// that never came is reported within the first minute.
const DEFAULT_CONNECT_TIMEOUT_S = 30;

/** The `connect_timeout_s` option; `failedEvent` is the event a collector emits on giving up. */
export function connectTimeoutOption(failedEvent: string): NumberSpec {
  return {
    type: 'number',
    default: DEFAULT_CONNECT_TIMEOUT_S,
    min: 0,
    exclusiveMin: true,
    unit: 'seconds',
    doc: `how long to retry the first connection before giving up with ${failedEvent}`,
  };
}
