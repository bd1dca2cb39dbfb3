// Reaching QEMU's monitor with guest_agent's connect and retry policies, so both sockets of a VM
// are sought the same way: the first connection at a steady pace until connect_timeout_s (QEMU may
// still be starting), a reconnection with backoff and no deadline. A connection that does not
// negotiate counts as failed and backs off too: QEMU serves one QMP client at a time, so a socket
// that never greets is held by someone else, and one that closes at once belongs to a dying QEMU.
import type { Socket } from 'node:net';
import type { CollectorContext } from '../contract';
import { VmtelError } from '../../errors';
import { connectWithRetry, type RetryPolicy } from '../unix-client/connect-with-retry';
import { firstConnectPolicy, reconnectPolicy } from '../unix-client/retry-policies';
import { diagnoseSocket, QEMU_SOCKET_ARGUMENT } from '../unix-client/socket-diagnosis';
import { socketWait } from '../unix-client/socket-wait';
import type { QmpOptions } from './options';
import { QmpConnection, type QmpConnectionHandlers } from './qmp-connection';
import type { JsonObject } from './qmp-message';

// QEMU greets within milliseconds of accepting; 10 s of silence means the monitor is taken.
const GREETING_TIMEOUT_MS = 10_000;

export interface OpenedQmp {
  connection: QmpConnection;
  greeting: JsonObject;
  /** Connect attempts this opening took, the successful one included. */
  attempts: number;
}

type OpenContext = Pick<CollectorContext<QmpOptions>, 'options' | 'stopSignal' | 'emit' | 'log'>;

/**
 * A negotiated session, or null once stop is requested. The first opening (`reconnecting` false)
 * emits qmp_connect_failed at connect_timeout_s; it then throws VMTEL_SOURCE_UNREACHABLE when
 * stop_on_vm_exit is set, and otherwise goes on with backoff.
 */
export async function openQmp(ctx: OpenContext, handlers: QmpConnectionHandlers, reconnecting: boolean): Promise<OpenedQmp | null> {
  const startedMs = performance.now();
  let inFirstWindow = !reconnecting;
  let failedSessions = 0;
  let attempts = 0;
  const qemuArgument = QEMU_SOCKET_ARGUMENT.qmp(ctx.options.socket);
  const waiting = socketWait(ctx.log, 'the QMP socket', ctx.options.socket, qemuArgument);
  for (;;) {
    const connection = new QmpConnection(handlers, ctx.options.reply_timeout_ms);
    const remainingS = ctx.options.connect_timeout_s - (performance.now() - startedMs) / 1000;
    const policy = inFirstWindow ? firstWindowPolicy(remainingS, failedSessions) : reconnectPolicy(failedSessions);
    const outcome = await connectWithRetry(ctx.options.socket, policy, ctx.stopSignal, connection.readTarget, waiting);
    attempts += outcome.attempts;
    if (outcome.kind === 'stopped') return null;
    let error: string;
    if (outcome.kind === 'connected') {
      const greeting = await negotiate(connection, outcome.socket, ctx.stopSignal);
      if (ctx.stopSignal.aborted) return null;
      if (!(greeting instanceof Error)) return { connection, greeting, attempts };
      ctx.log.debug('QMP connect attempt failed', { attempt: attempts, error: greeting.message });
      failedSessions += 1;
      error = greeting.message;
    } else {
      error = diagnoseSocket(ctx.options.socket, outcome.lastError, qemuArgument);
    }
    const waitedS = (performance.now() - startedMs) / 1000;
    if (inFirstWindow && waitedS >= ctx.options.connect_timeout_s) {
      ctx.emit('qmp_connect_failed', { attempts, waited_s: waitedS, error });
      ctx.log.warn(`qmp: gave up connecting after ${waitedS.toFixed(0)} s: ${error}`);
      if (ctx.options.stop_on_vm_exit) {
        throw new VmtelError('VMTEL_SOURCE_UNREACHABLE', `QMP socket ${ctx.options.socket} not usable after ${waitedS.toFixed(1)} s: ${error}`);
      }
      inFirstWindow = false;
    }
  }
}

// The steady first-connection pace, except that a connection which failed to negotiate is
// followed by a backed-off pause rather than an immediate new attempt.
function firstWindowPolicy(remainingS: number, failedSessions: number): RetryPolicy {
  const steady = firstConnectPolicy(Math.max(remainingS, 0));
  const backoff = reconnectPolicy(failedSessions);
  return { giveUpAfterMs: steady.giveUpAfterMs, delayMs: (attempt) => (attempt === 0 ? backoff.delayMs(0) : steady.delayMs(attempt)) };
}

// The greeting, or the reason negotiation failed (closed, refused, no greeting in time).
async function negotiate(connection: QmpConnection, socket: Socket, stopSignal: AbortSignal): Promise<JsonObject | Error> {
  const greetingTimer = new AbortController();
  const timer = setTimeout(() => greetingTimer.abort(), GREETING_TIMEOUT_MS);
  try {
    return await connection.negotiate(socket, AbortSignal.any([stopSignal, greetingTimer.signal]));
  } catch (err) {
    if (greetingTimer.signal.aborted) return new Error(`no QMP greeting within ${GREETING_TIMEOUT_MS} ms (is another client connected?)`);
    return err as Error;
  } finally {
    clearTimeout(timer);
  }
}
