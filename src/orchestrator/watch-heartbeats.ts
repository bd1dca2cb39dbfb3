// The main thread's look at its workers' heartbeats while the episode runs, so a collector whose
// thread is stuck (a busy loop, a blocking call) is seen and ended within about
// unresponsive_after_ms instead of showing as running until the stop.
import { LOOP_STALL_MS } from '../control/loop-pulse';
import type { CollectorSupervisor } from './collector-supervisor';

/**
 * Checks every supervisor's heartbeat twice per `afterMs`; returns the timer to clear at stop. A
 * look that comes late (this thread was stopped or starved too, and the workers with it) judges
 * no one: the workers get the next interval to beat again.
 */
export function watchHeartbeats(supervisors: readonly CollectorSupervisor[], afterMs: number): NodeJS.Timeout {
  const everyMs = afterMs / 2;
  let lastLookMs = performance.now();
  return setInterval(() => {
    const nowMs = performance.now();
    const lateMs = nowMs - lastLookMs - everyMs;
    lastLookMs = nowMs;
    if (lateMs >= LOOP_STALL_MS) return;
    for (const supervisor of supervisors) supervisor.checkHeartbeat(afterMs);
  }, everyMs);
}
