// The wall anchor as events: the one every t_wall_ns of this process rests on, at start, and the
// same measurement again on a fixed schedule. A new measurement never moves the rows' stamps (a
// jump inside a file would be worse than a known, slowly growing error): it is recorded beside
// them, with how far the wall clock has moved from the anchor (NTP slewing or stepping it), so an
// analyst who needs absolute time late in a long episode can correct with it.
import { measureWallAnchor, type WallAnchor } from '../control/wall-anchor';
import { wallAnchorRecord } from './episode-start';
import type { EventLog } from './event-log';

// NTP slews a clock by at most 500 ppm, 0.3 ms in 10 minutes; a step shows up within that time.
export const WALL_REANCHOR_INTERVAL_MS = 10 * 60_000;

/** Records `anchor` as `wall_anchor` now and a new measurement every `intervalMs`; returns the stop. */
export function recordWallAnchors(events: EventLog, anchor: WallAnchor, intervalMs = WALL_REANCHOR_INTERVAL_MS): () => void {
  const record = (measured: WallAnchor): void =>
    events.record('orchestrator', 'wall_anchor', {
      ...wallAnchorRecord(measured),
      in_use: measured === anchor,
      change_ns: measured.offsetNs - anchor.offsetNs,
    });
  record(anchor);
  const timer = setInterval(() => record(measureWallAnchor()), intervalMs).unref();
  return () => clearInterval(timer);
}
