// Makes a quiet guest visible in the data: a connection that never carries a byte, and one whose
// bytes stop and later come back, each leave events on the timeline instead of just fewer rows.
// Called once per read, it only stores a stamp; its one timer re-arms itself lazily.

const NS_PER_MS = 1_000_000n;

export interface SilenceHandlers {
  firstByte(waitAfterConnectS: number): void;
  /** No byte within silentWarnAfterMs of connecting; at most once per connection. */
  silentWindow(windowS: number): void;
  /** Bytes flowed, then none for stallWarnAfterMs; once per silence. */
  stalled(silentS: number): void;
  /** Bytes again after a stall; `silentS` is the whole silence. */
  resumed(silentS: number): void;
}

export interface SilenceLimits {
  silentWarnAfterMs: number;
  stallWarnAfterMs: number;
}

export class SilenceWatch {
  private firstByteNs: bigint | null = null;
  private lastByteNs: bigint;
  private stalled = false;
  private timer: NodeJS.Timeout | undefined;
  /** The longest time without bytes once they had started, the silence before the end included. */
  longestSilenceNs = 0n;

  /** Starts watching a connection made at `connectedNs` (host monotonic, like `now`). */
  constructor(
    private readonly now: () => bigint,
    private readonly limits: SilenceLimits,
    private readonly handlers: SilenceHandlers,
    private readonly connectedNs: bigint = now(),
  ) {
    this.lastByteNs = connectedNs;
    this.timer = setTimeout(() => this.handlers.silentWindow(this.limits.silentWarnAfterMs / 1000), limits.silentWarnAfterMs);
  }

  /** Bytes were read at `tMonoNs`. */
  bytes(tMonoNs: bigint): void {
    if (this.firstByteNs === null) {
      this.firstByteNs = tMonoNs;
      clearTimeout(this.timer);
      this.handlers.firstByte(seconds(tMonoNs - this.connectedNs));
      this.armStallCheck(this.limits.stallWarnAfterMs);
    } else {
      this.noteSilence(tMonoNs - this.lastByteNs);
      if (this.stalled) {
        this.stalled = false;
        this.handlers.resumed(seconds(tMonoNs - this.lastByteNs));
        this.armStallCheck(this.limits.stallWarnAfterMs);
      }
    }
    this.lastByteNs = tMonoNs;
  }

  /** The connection ended at `tMonoNs`; no handler is called after this. */
  end(tMonoNs: bigint): void {
    clearTimeout(this.timer);
    if (this.firstByteNs !== null) this.noteSilence(tMonoNs - this.lastByteNs);
  }

  private noteSilence(silentNs: bigint): void {
    if (silentNs > this.longestSilenceNs) this.longestSilenceNs = silentNs;
  }

  private armStallCheck(delayMs: number): void {
    // At least 1 ms: a check that found "almost stalled" must not spin.
    this.timer = setTimeout(() => this.checkStall(), Math.max(1, Math.ceil(delayMs)));
  }

  private checkStall(): void {
    const silentNs = this.now() - this.lastByteNs;
    const remainingMs = this.limits.stallWarnAfterMs - Number(silentNs / NS_PER_MS);
    if (remainingMs > 0) {
      this.armStallCheck(remainingMs);
      return;
    }
    this.stalled = true;
    this.handlers.stalled(seconds(silentNs));
  }
}

function seconds(ns: bigint): number {
  return Number(ns / 1000n) / 1e6;
}
