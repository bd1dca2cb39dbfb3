// The commands that run until interrupted (status --watch, tap) end cleanly on Ctrl-C or
// SIGTERM: the signal aborts their loop, which then lets the process exit with its own code.

/** A signal aborted by the first SIGINT or SIGTERM. */
export function abortedBySignals(): AbortSignal {
  const stop = new AbortController();
  const abort = (): void => stop.abort();
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  return stop.signal;
}
