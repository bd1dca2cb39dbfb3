// The report of one episode, from its run dir alone: events first (they explain the gaps), then
// each source's rows in one streaming pass each, then the verdict. Sources are read one after
// the other, so memory is that of one source's scan plus the bounded figures of all.
import { basename } from 'node:path';
import { forEachEvent, openRunDir, scanRows, type RunDir, type RunSource } from '../run-dir';
import { EpisodeEvents } from './episode-events';
import { explainGap } from './gap-causes';
import { GUEST_FIELDS, GuestClock } from './guest-clock';
import type { EpisodeReport, Gap, TimeSpan } from './report-types';
import { GAP_INTERVALS, SourceCadence } from './source-cadence';
import { thresholdsOf } from './thresholds';
import { reasonsFor, type Figures } from './verdict-rules';
import type { VerdictLevel } from './verdict-types';

const GUEST_KIND = 'guest_agent';
// The drift fit keeps one point per window; a very long episode gets wider windows so the fit
// holds at most this many points (an hour at 1 s windows is 3,600).
const MAX_FIT_WINDOWS = 50_000;
const MAX_GAPS_LISTED = 1000;
// The charts' finest bucket: a tenth of a second, or the longest configured interval, so that a
// sampler has a row in every bucket and its rate and cadence draw as lines, not dots.
const FINEST_BUCKET_NS = 1e8;

/** The report of the episode in `path`; throws VMTEL_NOT_A_RUN_DIR when it is not a run dir. */
export async function episodeReport(path: string): Promise<EpisodeReport> {
  const runDir = openRunDir(path);
  const thresholds = thresholdsOf(runDir.manifest);
  const events = new EpisodeEvents();
  const eventsRead = await forEachEvent(path, (event) => events.add(event));
  const spanStartNs = events.firstStartNs ?? 0;
  const durationGuessNs = (runDir.manifest.duration_s ?? 0) * 1e9;
  const windowNs = Math.max(thresholds.drift_window_s * 1e9, durationGuessNs / MAX_FIT_WINDOWS);

  const bucketNs = Math.max(FINEST_BUCKET_NS, ...runDir.sources.filter((s) => s.enabled).map((s) => (s.intervalMs ?? 0) * 1e6));
  let guestClock: GuestClock | null = null;
  const scanned: Array<{ source: RunSource; cadence: SourceCadence; read: Awaited<ReturnType<typeof scanRows>> | null }> = [];
  for (const source of runDir.sources) {
    const cadence = new SourceCadence(spanStartNs, bucketNs, source.intervalMs);
    if (!source.enabled) {
      scanned.push({ source, cadence, read: null });
      continue;
    }
    const clock: GuestClock | null = source.kind === GUEST_KIND && guestClock === null ? new GuestClock(source.name, spanStartNs, windowNs, bucketNs, events.causes.filter((c) => c.paused)) : null;
    if (clock !== null) guestClock = clock;
    const read = await scanSource(source, cadence, clock);
    scanned.push({ source, cadence, read });
  }

  const lastRowNs = Math.max(0, ...scanned.map((s) => s.cadence.lastNs ?? 0));
  const spanEndNs = Math.max(events.stoppedNs ?? events.lastEventNs, lastRowNs, spanStartNs);
  events.finish(spanEndNs);
  const span: TimeSpan = { startS: spanStartNs / 1e9, endS: spanEndNs / 1e9 };
  const phases = phasesOf(events, span);
  const figures: Figures = {
    runDir: path,
    vm: runDir.manifest.vm,
    episode: runDir.manifest.episode,
    status: runDir.manifest.status,
    stopReason: runDir.manifest.stop_reason,
    startedWallNs: runDir.manifest.started_wall_ns,
    span,
    durationS: span.endS - span.startS,
    labels: runDir.labels,
    sources: scanned.map(({ source, cadence, read }) => sourceFigures(runDir, source, cadence, read, events, spanStartNs, spanEndNs)),
    guestClock: (guestClock as GuestClock | null)?.finish(events.causes, phases, thresholds.clock_step_ms * 1e6, spanEndNs) ?? null,
    markers: events.markers,
    phases,
    qmpEvents: events.qmpEvents,
    orchestratorRestarts: events.restarts,
    collectorsGaveUp: [...events.gaveUp],
    tornLines: runDir.manifest.torn_lines.map((torn) => ({ file: basename(torn.file), tornBytes: torn.torn_bytes })),
    events: { lines: eventsRead.lines, unreadable: eventsRead.unreadable, byName: events.byName },
    thresholds: { ...thresholds },
  };
  const reasons = reasonsFor(figures, thresholds);
  const level: VerdictLevel = reasons.some((r) => r.severity === 'unusable') ? 'unusable' : reasons.length > 0 ? 'warning' : 'ok';
  return { ...figures, verdict: { level, reasons } };
}

async function scanSource(source: RunSource, cadence: SourceCadence, clock: GuestClock | null) {
  if (clock !== null) {
    return scanRows(source.file, GUEST_FIELDS, (fields) => {
      const tNs = clock.hostStampNs(fields);
      if (tNs === null) return;
      cadence.add(tNs, 0);
      clock.add(fields, tNs);
    });
  }
  return scanRows(source.file, ['t_mono_ns', 'missed_before'], (fields) => {
    if (!fields.isInteger(0)) return;
    cadence.add(fields.number[0]!, fields.isInteger(1) ? fields.number[1]! : 0);
  });
}

function sourceFigures(
  runDir: RunDir,
  source: RunSource,
  cadence: SourceCadence,
  read: Awaited<ReturnType<typeof scanRows>> | null,
  events: EpisodeEvents,
  spanStartNs: number,
  spanEndNs: number,
): Figures['sources'][number] {
  const record = runDir.manifest.collectors[source.name];
  const intervalMs = cadence.intervalMs();
  const spanNs = spanEndNs - spanStartNs;
  const gaps = read === null ? [] : gapsOf(source.name, cadence, intervalMs, events, spanStartNs, spanEndNs);
  // A collector delivers from its start to its stop: the rows it owes are counted over that span.
  const active = events.activeNs.get(source.name);
  const activeFromNs = Math.max(spanStartNs, active?.startNs ?? spanStartNs);
  const activeToNs = Math.min(spanEndNs, active?.stopNs ?? spanEndNs);
  const dropped = record?.dropped ?? {};
  const droppedTotal = Object.values(dropped).reduce((a, b) => a + b, 0);
  // Every series reaches the episode's end, so all share one set of buckets (one x axis).
  cadence.series.extendTo(spanEndNs);
  const rate = cadence.series.points();
  return {
    name: source.name,
    kind: source.kind,
    enabled: source.enabled,
    file: basename(source.file),
    rows: cadence.rows,
    intervalMs,
    intervalFrom: source.intervalMs !== null ? 'config' : intervalMs !== null ? 'observed' : 'none',
    expectedRows: intervalMs === null || read === null ? null : Math.floor((activeToNs - activeFromNs) / (intervalMs * 1e6)),
    rowsFraction: rowsFraction(cadence, intervalMs, gaps),
    coverage: read === null || spanNs <= 0 ? null : Math.max(0, 1 - gapNsWithin(gaps.filter((g) => !g.excused), spanStartNs, spanEndNs) / spanNs),
    cadenceMs: { p50: cadence.intervalsMs.quantile(0.5), p99: cadence.intervalsMs.quantile(0.99), max: cadence.intervalsMs.max },
    missedTicks: cadence.missedTicks,
    gaps: gaps.slice(0, MAX_GAPS_LISTED),
    gapsNotListed: Math.max(0, gaps.length - MAX_GAPS_LISTED) + cadence.candidatesNotKept,
    dropped,
    droppedFraction: droppedTotal === 0 ? 0 : droppedTotal / (cadence.rows + droppedTotal),
    unreadableLines: read?.unreadable ?? 0,
    unterminatedBytes: read?.unterminatedBytes ?? 0,
    restarts: events.collectorRestarts.get(source.name) ?? 0,
    gaveUp: events.gaveUp.has(source.name),
    status: record?.status ?? 'never started',
    stats: record?.stats ?? {},
    rate: { ...rate, min: rate.count.map((n) => n / rate.bucketS), max: rate.count.map((n) => n / rate.bucketS) },
    cadence: rate,
  };
}

// Rows delivered ÷ rows promised by the interval, from the first row to the last, outside gaps:
// the wait for a source before its first row and the interval a stop cut short are the ends'
// (a gap when longer than GAP_INTERVALS), not rows missing between; on a short episode they
// would weigh a whole row each.
function rowsFraction(cadence: SourceCadence, intervalMs: number | null, gaps: Gap[]): number | null {
  if (intervalMs === null || cadence.firstNs === null || cadence.lastNs === null) return null;
  const deliveringNs = cadence.lastNs - cadence.firstNs - gapNsWithin(gaps, cadence.firstNs, cadence.lastNs);
  return cadence.rows / (1 + Math.max(0, deliveringNs) / (intervalMs * 1e6));
}

function gapNsWithin(gaps: Gap[], fromNs: number, toNs: number): number {
  return gaps.reduce((sum, g) => sum + Math.max(0, Math.min(g.endS * 1e9, toNs) - Math.max(g.startS * 1e9, fromNs)), 0);
}

// Gaps: intervals between rows over GAP_INTERVALS intervals, and the same at the episode's two
// ends (a source that started late or stopped early); a source without rows is one gap.
function gapsOf(name: string, cadence: SourceCadence, intervalMs: number | null, events: EpisodeEvents, spanStartNs: number, spanEndNs: number): Gap[] {
  const limitNs = intervalMs === null ? Infinity : GAP_INTERVALS * intervalMs * 1e6;
  const slackNs = intervalMs === null ? 0 : intervalMs * 1e6;
  const explain = (startNs: number, endNs: number) => explainGap(name, startNs, endNs, events.causes, slackNs);
  if (cadence.firstNs === null || cadence.lastNs === null) return spanEndNs > spanStartNs ? [explain(spanStartNs, spanEndNs)] : [];
  const gaps: Gap[] = [];
  if (cadence.firstNs - spanStartNs > limitNs) gaps.push(explain(spanStartNs, cadence.firstNs));
  for (const candidate of cadence.candidates) if (candidate.endNs - candidate.startNs > limitNs) gaps.push(explain(candidate.startNs, candidate.endNs));
  if (spanEndNs - cadence.lastNs > limitNs) gaps.push(explain(cadence.lastNs, spanEndNs));
  return gaps;
}

function phasesOf(events: EpisodeEvents, span: TimeSpan): Array<{ name: string } & TimeSpan> {
  const starts = events.markers.filter((m) => m.phase);
  return starts.map((marker, i) => ({ name: marker.name, startS: marker.tS, endS: starts[i + 1]?.tS ?? span.endS }));
}


