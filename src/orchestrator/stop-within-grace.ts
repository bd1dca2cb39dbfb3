// The stop's deadline: every worker gets `stop_grace_ms` (cut short by a second signal) to flush
// and exit; any still alive after that is terminated, which its supervisor records as an event.
import { setTimeout as delay } from 'node:timers/promises';
import type { CollectorSupervisor } from './collector-supervisor';

// After a second signal, workers get only this long to flush what they hold before they are
// terminated: enough for a flush, short enough that an impatient operator is obeyed.
export const HURRY_GRACE_MS = 250;

/** Resolves once every supervisor's worker has exited, terminating those that outlive the grace. */
export async function stopWithinGrace(supervisors: CollectorSupervisor[], graceMs: number, hurried: AbortSignal): Promise<void> {
  const allStopped = Promise.all(supervisors.map((s) => s.stopped()));
  const timer = new AbortController();
  const graceOver = delay(graceMs, 'grace', { signal: timer.signal }).catch(() => 'cancelled');
  const hurryOver = new Promise<string>((resolve) => {
    const afterHurry = (): void => void delay(HURRY_GRACE_MS, 'hurry', { signal: timer.signal }).then(resolve, () => undefined);
    if (hurried.aborted) afterHurry();
    else hurried.addEventListener('abort', afterHurry, { once: true });
  });
  const first = await Promise.race([allStopped.then(() => 'stopped'), graceOver, hurryOver]);
  timer.abort();
  if (first !== 'stopped') {
    const waitedMs = first === 'grace' ? graceMs : HURRY_GRACE_MS;
    await Promise.all(supervisors.map((s) => s.terminate(waitedMs)));
  }
  await allStopped;
}
