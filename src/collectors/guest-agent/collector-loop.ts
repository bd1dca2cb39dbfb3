// The guest_agent collector's life: connect (or report why not), read a connection until it
// closes, and reconnect until the episode stops, leaving an event at every boundary so each gap
// in the rows is explained in events.jsonl.
import type { CollectorOutcome } from '../contract';
import { type ConnectOutcome, connectWithRetry, type ReadTarget, type RetryPolicy } from '../unix-client/connect-with-retry';
import { DropWarnings } from './drop-warnings';
import { firstConnectPolicy, reconnectPolicy } from '../unix-client/retry-policies';
import { diagnoseSocket, QEMU_SOCKET_ARGUMENT } from '../unix-client/socket-diagnosis';
import { socketWait } from '../unix-client/socket-wait';
import { type GuestAgentContext, GuestSession } from './session';

// Reads of up to 64 KiB, into one buffer reused for the collector's life. Measured under a flood:
// twice the rows per CPU second of 256 KiB reads, whose decoded strings and output batches land
// in V8's large-object space; smaller reads cost more calls per row.
const READ_BUFFER_BYTES = 64 * 1024;

/** Runs the collector until the stop flag, or until its source is gone for good. */
export async function runGuestAgent(ctx: GuestAgentContext): Promise<CollectorOutcome> {
  const { options, stopSignal } = ctx;
  const drops = new DropWarnings(ctx);
  let session: GuestSession | undefined;
  const target: ReadTarget = {
    buffer: Buffer.allocUnsafe(READ_BUFFER_BYTES),
    // Reads start in an event-loop turn after 'connect', by which time the session exists.
    onRead: (chunk) => session!.read(chunk),
  };
  const connect = (policy: RetryPolicy): Promise<ConnectOutcome> =>
    connectWithRetry(options.socket, policy, stopSignal, target, socketWait(ctx.log, 'the guest agent socket', options.socket, QEMU_SOCKET_ARGUMENT.guestAgent(options.socket)));
  try {
    let outcome = await connect(firstConnectPolicy(options.connect_timeout_s));
    if (outcome.kind === 'timed_out') {
      reportConnectFailed(ctx, outcome.lastError);
      return { reason: 'connect_failed' };
    }
    let longestSilenceNs = 0n;
    let quietConnections = 0;
    while (outcome.kind === 'connected') {
      ctx.counters.add('connects');
      session = new GuestSession(ctx, drops);
      const end = await session.whenClosed(outcome.socket);
      if (end.longestSilenceNs > longestSilenceNs) longestSilenceNs = end.longestSilenceNs;
      ctx.counters.set('longest_silence_ms', Number(longestSilenceNs / 1_000_000n));
      if (end.reason === 'stopped') return { reason: 'stopped' };
      if (!options.reconnect) return { reason: 'disconnected' };

      quietConnections = end.receivedBytes > 0 ? 0 : quietConnections + 1;
      const lostMs = performance.now();
      outcome = await connect(reconnectPolicy(quietConnections));
      const gapS = (performance.now() - lostMs) / 1000;
      if (outcome.kind !== 'connected') {
        ctx.emit('guest_agent_reconnect_abandoned', { attempts: outcome.attempts, gap_s: gapS });
        return { reason: 'stopped' };
      }
      ctx.counters.add('reconnects');
      ctx.emit('guest_agent_reconnected', { attempt: outcome.attempts, gap_s: gapS });
    }
    return { reason: 'stopped' };
  } finally {
    drops.flush();
  }
}

function reportConnectFailed(ctx: GuestAgentContext, lastError: string): void {
  const { socket, connect_timeout_s } = ctx.options;
  // The socket itself is QEMU's: only when it refuses is the guest side worth naming.
  ctx.log.warn(
    `guest-agent: gave up after ${connect_timeout_s} s: ${diagnoseSocket(socket, lastError, QEMU_SOCKET_ARGUMENT.guestAgent(socket))}. ` +
      'No guest rows will be written.',
  );
  ctx.emit('guest_agent_connect_failed', { socket_path: socket, timeout_s: connect_timeout_s, last_error: lastError });
}
