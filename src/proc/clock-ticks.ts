// Process and CPU times in /proc are counted in clock ticks (USER_HZ). The kernel fixes USER_HZ
// at 100 on every architecture vmtel runs on (x86-64, arm64), whatever its internal HZ, and
// sysconf(_SC_CLK_TCK) reports that same constant, so it is not read at run time.
const USER_HZ = 100;
const MS_PER_TICK = 1000 / USER_HZ;

/** Milliseconds in `ticks` clock ticks; exact, as one tick is a whole 10 ms. */
export function ticksToMs(ticks: number): number {
  return ticks * MS_PER_TICK;
}
