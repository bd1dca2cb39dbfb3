// The guest_agent collector: rows an agent inside the guest writes to a virtio-serial port,
// read from the host end of that port (QEMU's chardev unix socket) and put on the episode's
// timeline. The guest is untrusted; docs/threat-model.md says what it can and cannot do here.
import { defineBuiltIn } from '../contract';
import { runGuestAgent } from './collector-loop';
import { guestAgentOptions } from './options';

export const collector = defineBuiltIn({
  kind: 'guest_agent',
  description: 'rows from the in-guest agent over virtio-serial, re-stamped on the host timeline',
  options: guestAgentOptions,
  // The file name analysis scripts written before vmtel already read.
  defaultOutput: 'telemetry-guest.jsonl',
  // The only source an agent in a deployed VM could also produce (docs/threat-model.md).
  defaultAvailableInDeployment: true,
  stats: ['bytes_received', 'connects', 'reconnects', 'longest_silence_ms', 'skipped_ticks'],
  run: runGuestAgent,
});
