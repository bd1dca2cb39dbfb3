// The ticker's sleep, which a stop cuts short. timers/promises' setTimeout with a signal adds and
// removes an abort listener (EventTarget work, run in V8's interpreter for code that runs once
// a second) on every sleep; here one listener serves every sleep of a ticker's life.

export class StopAwareSleep {
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private readonly onStop = (): void => {
    clearTimeout(this.timer);
    this.wake?.();
  };

  constructor(private readonly stopSignal: AbortSignal) {
    stopSignal.addEventListener('abort', this.onStop, { once: true });
  }

  /** Resolves after `ms`, or at once when the stop signal aborts (the caller checks which). */
  sleep(ms: number): Promise<void> {
    if (this.stopSignal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, ms);
    });
  }

  /** Removes the stop listener and any pending timer. */
  dispose(): void {
    clearTimeout(this.timer);
    this.stopSignal.removeEventListener('abort', this.onStop);
  }
}
