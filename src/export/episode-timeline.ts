// One timeline per episode, even across a host reboot. An episode continued after a reboot has
// a timeline segment per boot, each with its own monotonic origin, so t_mono_ns starts again
// near 0 in every segment. The wall clock is the only link between two boots' monotonic clocks:
// a segment is placed where its first start's wall anchor puts its t_mono_ns 0, relative to
// segment 0's. Within a segment the monotonic differences stay exact (one anchor per segment,
// even when later starts re-measured theirs). A row belongs to the last segment that started at
// or before its t_wall_ns.
import type { Manifest } from '../orchestrator/manifest';
import type { EpisodeInput } from './episode-input';
import { sqlString } from './sql-text';

/** Where segment `segment` sits: rows stamped at or after `fromWallNs` are shifted by `shiftNs`. */
export interface TimelineSegment {
  segment: number;
  fromWallNs: bigint;
  shiftNs: bigint;
}

/** The segments of an episode, segment 0 (shift 0) first; one entry when it never had another. */
export function timelineSegments(manifest: Manifest): TimelineSegment[] {
  const firsts = new Map<number, Manifest['starts'][number]>();
  for (const start of manifest.starts ?? []) if (!firsts.has(start.segment)) firsts.set(start.segment, start);
  const ordered = [...firsts.values()].sort((a, b) => a.segment - b.segment);
  const first = ordered[0];
  if (first === undefined) return [{ segment: manifest.segment, fromWallNs: 0n, shiftNs: 0n }];
  // The wall time of a segment's t_mono_ns 0: its origin on CLOCK_MONOTONIC plus its wall offset.
  const epochOf = (start: Manifest['starts'][number]): bigint => BigInt(start.t_mono_origin_ns) + BigInt(start.wall_anchor.offset_ns);
  return ordered.map((start) => ({ segment: start.segment, fromWallNs: BigInt(start.started_wall_ns), shiftNs: epochOf(start) - epochOf(first) }));
}

/**
 * SQL placing a stamp of the recording's monotonic clock (`tSql`, with the row's `wallSql`) on
 * its episode's timeline, over a relation with `vm` and `episode` columns. Episodes of one
 * segment are left as they are, so the common case costs nothing.
 */
export function timelineSql(episodes: readonly EpisodeInput[], tSql: string, wallSql: string): string {
  const shift = perSegmentSql(episodes, wallSql, (segment) => segment.shiftNs);
  return shift === null ? tSql : `(${tSql} + ${shift})`;
}

/** SQL of the segment a row belongs to (0 when no episode has another): a counter's change is never taken across two boots. */
export function segmentSql(episodes: readonly EpisodeInput[], wallSql: string): string {
  return perSegmentSql(episodes, wallSql, (segment) => BigInt(segment.segment)) ?? '0';
}

// CASE of `value` of the segment of the row's episode and wall stamp; null when every episode has one segment.
function perSegmentSql(episodes: readonly EpisodeInput[], wallSql: string, value: (segment: TimelineSegment) => bigint): string | null {
  const cases = episodes.flatMap((episode) => {
    const [first, ...later] = timelineSegments(episode.manifest);
    if (later.length === 0) return [];
    const whens = later.reverse().map((segment) => `WHEN ${wallSql} >= ${segment.fromWallNs} THEN ${value(segment)}`).join(' ');
    return [`WHEN vm = ${sqlString(episode.manifest.vm)} AND episode = ${sqlString(episode.manifest.episode)} THEN CASE ${whens} ELSE ${value(first!)} END`];
  });
  return cases.length === 0 ? null : `CASE ${cases.join(' ')} ELSE 0 END`;
}

/** The episode's stop on its timeline, in ns; null while it runs (its rows and events then set the end). */
export function episodeEndNs(manifest: Manifest): bigint | null {
  const segments = timelineSegments(manifest);
  const duration = manifest.duration_s;
  if (segments.length > 1 && manifest.stopped_wall_ns !== null) {
    const first = manifest.starts[0]!;
    return BigInt(manifest.stopped_wall_ns) - (BigInt(first.t_mono_origin_ns) + BigInt(first.wall_anchor.offset_ns));
  }
  return typeof duration === 'number' && Number.isFinite(duration) ? BigInt(Math.round(duration * 1e9)) : null;
}
