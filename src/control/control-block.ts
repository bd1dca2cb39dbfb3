// One SharedArrayBuffer mapped by every thread of an episode, so all of them stop on one flag and
// stamp on one timeline without a message round trip.
// Int32 slot 0 is the stop flag (Atomics can wait/notify only on Int32/BigInt64 slots);
// BigInt64 slot 1 holds the monotonic origin, written once before any worker starts;
// BigInt64 slot 2 holds wall − monotonic (wall-anchor.ts measures it with its error), so wall
// stamps are anchor + monotonic delta and never jump inside an episode even when NTP steps the
// wall clock.
import { measureWallAnchor } from './wall-anchor';

const STOP_INDEX = 0;
const ORIGIN_INDEX = 1;
const WALL_OFFSET_INDEX = 2;
const BYTE_LENGTH = 24;
// After the fixed slots, one BigInt64 heartbeat slot per collector: the t_mono_ns at which its
// worker's event loop last turned (0: not yet). The main thread reads them to see a blocked worker.
const HEARTBEATS_OFFSET = BYTE_LENGTH;

/**
 * Values of the stop flag. A second signal does not change it: no worker could do more than
 * stop, so the orchestrator only shortens their grace (stop-within-grace.ts).
 */
export const STOP_STATE = { running: 0, stop: 1 } as const;
export type StopState = (typeof STOP_STATE)[keyof typeof STOP_STATE];

/**
 * The episode's timeline as a collector sees it: stamps and wall time, nothing that could stop
 * the episode or touch another thread's slots (a collector ends the episode by endEpisode).
 */
export interface EpisodeClock {
  /** Now, in ns since the episode's origin. */
  monoNs(): bigint;
  /** The wall time (ns since the Unix epoch) of `tMonoNs`. */
  wallNsAt(tMonoNs: bigint): bigint;
  /** The origin as absolute CLOCK_MONOTONIC ns. */
  readonly originNs: bigint;
  /** Host wall clock minus CLOCK_MONOTONIC, in ns, measured once when the process started. */
  readonly wallOffsetNs: bigint;
}

/** A clock of `control` that exposes nothing else of it. */
export function episodeClock(control: ControlBlock): EpisodeClock {
  return Object.freeze({
    monoNs: () => control.monoNs(),
    wallNsAt: (tMonoNs: bigint) => control.wallNsAt(tMonoNs),
    originNs: control.originNs,
    wallOffsetNs: control.wallOffsetNs,
  });
}

export class ControlBlock {
  readonly buffer: SharedArrayBuffer;
  private readonly flags: Int32Array;
  private readonly clocks: BigInt64Array;
  private readonly heartbeats: BigInt64Array;
  /** The episode's origin on CLOCK_MONOTONIC, in ns; every `t_mono_ns` is relative to it. */
  readonly originNs: bigint;
  /** Host wall clock minus CLOCK_MONOTONIC, in ns, measured once when the process started. */
  readonly wallOffsetNs: bigint;

  private constructor(buffer: SharedArrayBuffer) {
    this.buffer = buffer;
    this.flags = new Int32Array(buffer, 0, 1);
    this.clocks = new BigInt64Array(buffer, 0, BYTE_LENGTH / 8);
    this.heartbeats = new BigInt64Array(buffer, HEARTBEATS_OFFSET);
    this.originNs = Atomics.load(this.clocks, ORIGIN_INDEX);
    this.wallOffsetNs = Atomics.load(this.clocks, WALL_OFFSET_INDEX);
  }

  /**
   * A new block for this process; `originNs` is reused when an episode continues after a crash.
   * `wallOffsetNs` is the anchor's offset (measured here when not given); `heartbeatSlots`: one
   * per collector of the episode.
   */
  static create(
    originNs: bigint = process.hrtime.bigint(),
    { wallOffsetNs = measureWallAnchor().offsetNs, heartbeatSlots = 0 }: { wallOffsetNs?: bigint; heartbeatSlots?: number } = {},
  ): ControlBlock {
    const buffer = new SharedArrayBuffer(HEARTBEATS_OFFSET + 8 * heartbeatSlots);
    const clocks = new BigInt64Array(buffer);
    Atomics.store(clocks, ORIGIN_INDEX, originNs);
    Atomics.store(clocks, WALL_OFFSET_INDEX, wallOffsetNs);
    return new ControlBlock(buffer);
  }

  /** The same block seen from another thread. */
  static attach(buffer: SharedArrayBuffer): ControlBlock {
    return new ControlBlock(buffer);
  }

  /** `t_mono_ns` of now: CLOCK_MONOTONIC minus the origin. */
  monoNs(): bigint {
    return process.hrtime.bigint() - this.originNs;
  }

  /** `t_wall_ns` for a `t_mono_ns`: the anchored wall clock at that instant. */
  wallNsAt(tMonoNs: bigint): bigint {
    return tMonoNs + this.originNs + this.wallOffsetNs;
  }

  /** Stores now as the heartbeat of `slot`: the calling thread's event loop is turning. */
  beat(slot: number): void {
    if (slot < this.heartbeats.length) Atomics.store(this.heartbeats, slot, this.monoNs());
  }

  /** The t_mono_ns of the latest heartbeat in `slot`, or null before the first. */
  lastBeatMonoNs(slot: number): bigint | null {
    const beat = slot < this.heartbeats.length ? Atomics.load(this.heartbeats, slot) : 0n;
    return beat === 0n ? null : beat;
  }

  stopState(): StopState {
    return Atomics.load(this.flags, STOP_INDEX) as StopState;
  }

  isStopping(): boolean {
    return Atomics.load(this.flags, STOP_INDEX) !== STOP_STATE.running;
  }

  /** Raises the flag (nothing lowers it) and wakes every thread waiting on it. */
  requestStop(): void {
    Atomics.store(this.flags, STOP_INDEX, STOP_STATE.stop);
    Atomics.notify(this.flags, STOP_INDEX);
  }

  /**
   * Resolves with the new state when the flag leaves `from`, or with null once `release` aborts.
   * A pending Atomics.waitAsync does not keep a thread alive, so a long timer is held open while
   * waiting; `release` drops it, so a thread whose work is done can exit.
   */
  async waitForChange(from: StopState, release?: AbortSignal): Promise<StopState | null> {
    const released = release ? abortPromise(release) : null;
    for (;;) {
      if (release?.aborted) return null;
      const current = Atomics.load(this.flags, STOP_INDEX) as StopState;
      if (current !== from) return current;
      const waiting = Atomics.waitAsync(this.flags, STOP_INDEX, from);
      if (!waiting.async) continue;
      const keepAlive = setInterval(() => undefined, 1 << 30);
      try {
        await (released ? Promise.race([waiting.value, released]) : waiting.value);
      } finally {
        clearInterval(keepAlive);
      }
    }
  }
}

function abortPromise(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
