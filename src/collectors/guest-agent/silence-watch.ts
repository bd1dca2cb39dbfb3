// Makes a quiet guest visible in the data: a connection that never carries a byte, and one whose
// bytes stop and later come back, each leave events on the timeline instead of just fewer rows.
// Called once per read, it only stores a stamp; its one timer re-arms itself lazily.
//
// A silence is the guest's only if vmtel was reading: when vmtel's own thread did not run over
// part of it (stopped, starved: the thread's loop pulse says so, and the host records it as
// vmtel_stalled), what the guest sent meanwhile waits unread in the socket. Such a silence is
// judged only after one more turn of the loop has read the socket, and the stalled span is not
// counted in the guest's longest silence.
import { loopPulse } from '../../control/loop-pulse';

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
  // Set while a verdict waits for one turn of the loop after a stall of vmtel's own.
  private recheckingAfterVmtelStall = false;
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
    this.timer = setTimeout(() => this.checkSilentWindow(), limits.silentWarnAfterMs);
  }

  /** Bytes were read at `tMonoNs`. */
  bytes(tMonoNs: bigint): void {
    if (this.firstByteNs === null) {
      this.firstByteNs = tMonoNs;
      clearTimeout(this.timer);
      this.handlers.firstByte(seconds(tMonoNs - this.connectedNs));
      this.armStallCheck(this.limits.stallWarnAfterMs);
    } else {
      const silentNs = tMonoNs - this.lastByteNs;
      this.noteSilence(silentNs - loopPulse.stalledWithinNs(silentNs));
      if (this.stalled) {
        this.stalled = false;
        this.handlers.resumed(seconds(silentNs));
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

  private checkSilentWindow(): void {
    if (this.waitOneTurnIfVmtelStalled(BigInt(this.limits.silentWarnAfterMs) * NS_PER_MS, () => this.checkSilentWindow())) return;
    this.handlers.silentWindow(this.limits.silentWarnAfterMs / 1000);
  }

  private checkStall(): void {
    const silentNs = this.now() - this.lastByteNs;
    const remainingMs = this.limits.stallWarnAfterMs - Number(silentNs / NS_PER_MS);
    if (remainingMs > 0) {
      this.recheckingAfterVmtelStall = false;
      this.armStallCheck(remainingMs);
      return;
    }
    if (this.waitOneTurnIfVmtelStalled(silentNs, () => this.checkStall())) return;
    this.stalled = true;
    this.handlers.stalled(seconds(silentNs));
  }

  // True (and `check` comes again in 1 ms, after the loop has polled the socket) when vmtel's
  // thread was stalled within the last `silentNs` and this verdict has not waited yet.
  private waitOneTurnIfVmtelStalled(silentNs: bigint, check: () => void): boolean {
    if (this.recheckingAfterVmtelStall || loopPulse.stalledWithinNs(silentNs) === 0n) {
      this.recheckingAfterVmtelStall = false;
      return false;
    }
    this.recheckingAfterVmtelStall = true;
    // A timer, not setImmediate: the next timers phase comes after this turn's poll phase, and
    // `timer` is what end() and bytes() already clear.
    this.timer = setTimeout(check, 1);
    return true;
  }
}

function seconds(ns: bigint): number {
  return Number(ns / 1000n) / 1e6;
}
