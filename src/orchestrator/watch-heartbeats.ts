// The main thread's look at its workers' heartbeats while the episode runs, so a collector whose
// thread is stuck (a busy loop, a blocking call) is seen and ended within about
// unresponsive_after_ms instead of showing as running until the stop.
import type { ControlBlock } from '../control/control-block';
import { LOOP_STALL_MS } from '../control/loop-pulse';
import type { CollectorSupervisor } from './collector-supervisor';

// A look later than due by this (or by half its period, when that is shorter) means this thread
// did not run for a while either (vmtel was stopped, or starved): it cannot vouch for that time,
// so no worker is judged on it.
const LATE_LOOK_MS = LOOP_STALL_MS;

/** Checks every supervisor's heartbeat twice per `afterMs`; returns the timer to clear at stop. */
export function watchHeartbeats(supervisors: readonly CollectorSupervisor[], afterMs: number, control: ControlBlock): NodeJS.Timeout {
  const everyMs = afterMs / 2;
  const lateLookMs = Math.min(LATE_LOOK_MS, everyMs / 2);
  let lastLookMs = performance.now();
  let watchedSinceNs = control.monoNs();
  return setInterval(() => {
    const nowMs = performance.now();
    if (nowMs - lastLookMs - everyMs >= lateLookMs) watchedSinceNs = control.monoNs();
    lastLookMs = nowMs;
    for (const supervisor of supervisors) supervisor.checkHeartbeat(afterMs, watchedSinceNs);
  }, everyMs);
}
