// What `vmtel status` shows of a collector must be at most about a second old, yet a worker
// reports its counts to the main thread only every few seconds (each message wakes that
// thread). So each collector also gets a small SharedArrayBuffer that its worker updates as it
// writes, at the cost of a store per row, and the main thread reads when asked. Only one worker
// of a collector runs at a time (a restart waits for the exit), so the slots have one writer and
// plain stores suffice; an aligned 8-byte store is not torn on the hosts vmtel runs on, and a
// figure for a person may be one row stale.
const ROWS = 0;
const LAST_ROW_MONO_NS = 1;
const DROPPED = 2;
const SLOTS = 3;

export class LiveCounts {
  readonly buffer: SharedArrayBuffer;
  private readonly slots: Float64Array;

  private constructor(buffer: SharedArrayBuffer) {
    this.buffer = buffer;
    this.slots = new Float64Array(buffer);
  }

  /** A new set for one collector of this process, starting from what earlier processes wrote. */
  static create(before: { rows: number; dropped: number } = { rows: 0, dropped: 0 }): LiveCounts {
    const live = new LiveCounts(new SharedArrayBuffer(SLOTS * Float64Array.BYTES_PER_ELEMENT));
    live.slots[ROWS] = before.rows;
    live.slots[DROPPED] = before.dropped;
    live.slots[LAST_ROW_MONO_NS] = Number.NaN;
    return live;
  }

  /** The same set seen from the collector's worker. */
  static attach(buffer: SharedArrayBuffer): LiveCounts {
    return new LiveCounts(buffer);
  }

  /** `count` rows were handed to the writer, the last stamped `tMonoNs`. */
  wrote(count: number, tMonoNs: bigint): void {
    this.slots[ROWS] = (this.slots[ROWS] ?? 0) + count;
    this.slots[LAST_ROW_MONO_NS] = Number(tMonoNs);
  }

  /** `count` rows handed to the writer were lost to a write failure: dropped, not rows. */
  lost(count: number): void {
    this.slots[ROWS] = (this.slots[ROWS] ?? 0) - count;
    this.dropped(count);
  }

  dropped(count: number): void {
    this.slots[DROPPED] = (this.slots[DROPPED] ?? 0) + count;
  }

  /** Rows of the whole episode so far (earlier processes included). */
  get rows(): number {
    return this.slots[ROWS] ?? 0;
  }

  /** `t_mono_ns` of the last row this process wrote, or null before the first. */
  get lastRowMonoNs(): number | null {
    const value = this.slots[LAST_ROW_MONO_NS] ?? Number.NaN;
    return Number.isNaN(value) ? null : value;
  }

  /** Lines dropped over the whole episode, every reason together. */
  get droppedTotal(): number {
    return this.slots[DROPPED] ?? 0;
  }
}
