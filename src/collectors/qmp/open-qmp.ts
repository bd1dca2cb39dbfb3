// Reaching QEMU's monitor: the first connection retries at a fixed pace until connect_timeout_s
// (QEMU may still be starting), a reconnection backs off without a deadline (QEMU may be gone for
// a while). Both end at once on stop, and both count a silent accept as a failed attempt: QEMU
// serves one QMP client at a time, so a socket that never greets is held by someone else.
import { setTimeout as sleep } from 'node:timers/promises';
import type { CollectorContext } from '../contract';
import { VmtelError } from '../../errors';
import { connectUnix } from './connect-unix';
import { QmpConnection, type QmpConnectionHandlers } from './qmp-connection';
import type { JsonObject } from './qmp-message';
import type { QmpOptions } from './options';

// The first connection looks for QEMU's socket twice a second: QEMU binds it early in start-up.
const CONNECT_RETRY_MS = 500;
// Reconnection doubles its wait from CONNECT_RETRY_MS up to this, so a VM gone for good costs a
// connect every 5 s while a VM back in a second is picked up within one.
const RECONNECT_MAX_DELAY_MS = 5000;
// QEMU greets within milliseconds of accepting; 10 s of silence means the monitor is taken.
const GREETING_TIMEOUT_MS = 10_000;

export interface OpenedQmp {
  connection: QmpConnection;
  greeting: JsonObject;
  /** Connect attempts this opening took, the successful one included. */
  attempts: number;
}

type OpenContext = Pick<CollectorContext<QmpOptions>, 'options' | 'stopSignal' | 'emit' | 'control' | 'log'>;

/**
 * A negotiated session, or null once stop is requested. The first opening (`reconnecting` false)
 * emits qmp_connect_failed at connect_timeout_s; it then throws when stop_on_vm_exit is set, and
 * otherwise goes on with backoff.
 */
export async function openQmp(ctx: OpenContext, handlers: QmpConnectionHandlers, reconnecting: boolean): Promise<OpenedQmp | null> {
  const startedNs = ctx.control.monoNs();
  let deadlineNs = reconnecting ? null : startedNs + BigInt(Math.round(ctx.options.connect_timeout_s * 1e9));
  let delayMs = CONNECT_RETRY_MS;
  for (let attempts = 1; ; attempts += 1) {
    const outcome = await attempt(ctx, handlers);
    if (ctx.stopSignal.aborted) return null;
    if (!(outcome instanceof Error)) return { ...outcome, attempts };
    ctx.log.debug('QMP connect attempt failed', { attempt: attempts, error: outcome.message });
    if (deadlineNs !== null && ctx.control.monoNs() >= deadlineNs) {
      const waitedS = Number(ctx.control.monoNs() - startedNs) / 1e9;
      ctx.emit('qmp_connect_failed', { attempts, waited_s: waitedS, error: outcome.message });
      if (ctx.options.stop_on_vm_exit) {
        throw new VmtelError(
          'VMTEL_SOURCE_UNREACHABLE',
          `QMP socket ${ctx.options.socket} not usable after ${waitedS.toFixed(1)} s: ${outcome.message}`,
        );
      }
      deadlineNs = null;
    }
    if (!(await pause(delayMs, ctx.stopSignal))) return null;
    if (deadlineNs === null) delayMs = Math.min(delayMs * 2, RECONNECT_MAX_DELAY_MS);
  }
}

async function attempt(ctx: OpenContext, handlers: QmpConnectionHandlers): Promise<Omit<OpenedQmp, 'attempts'> | Error> {
  const greetingTimer = new AbortController();
  const timer = setTimeout(() => greetingTimer.abort(), GREETING_TIMEOUT_MS);
  try {
    const socket = await connectUnix(ctx.options.socket, ctx.stopSignal);
    return await QmpConnection.negotiate(socket, handlers, AbortSignal.any([ctx.stopSignal, greetingTimer.signal]));
  } catch (err) {
    if (greetingTimer.signal.aborted) return new Error(`no QMP greeting within ${GREETING_TIMEOUT_MS} ms (is another client connected?)`);
    const code = (err as NodeJS.ErrnoException).code;
    return new Error(code === undefined ? (err as Error).message : `${code} on ${ctx.options.socket}`);
  } finally {
    clearTimeout(timer);
  }
}

// Waits `ms`; false when stop came first.
async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
