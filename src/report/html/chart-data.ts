// The figures a report page draws, shaped for uPlot: one shared x axis (the buckets every series
// of the report shares, see min-max-series.ts) and columns of values, plus what is drawn over
// the plots (gaps, markers, phases, QMP events, restarts, clock steps).
import type { MinMaxPoints } from '../min-max-series';
import type { EpisodeReport } from '../report-types';

export interface ChartData {
  x: number[];
  bucketS: number;
  sources: Array<{ name: string; intervalMs: number | null; rate: number[]; cadenceMin: Array<number | null>; cadenceMax: Array<number | null> }>;
  gaps: Array<{ source: string; startS: number; endS: number; causes: string[]; excused: boolean }>;
  markers: Array<{ tS: number; name: string; phase: boolean }>;
  qmp: Array<{ tS: number; name: string }>;
  restarts: Array<{ fromS: number; toS: number }>;
  clock: {
    source: string;
    offsetMin: Array<number | null>;
    offsetMax: Array<number | null>;
    fit: Array<number | null>;
    residualMin: Array<number | null>;
    residualMax: Array<number | null>;
    steps: Array<{ fromS: number; toS: number; sizeMs: number }>;
  } | null;
}

export function chartData(report: EpisodeReport): ChartData {
  const first = report.sources.find((s) => s.enabled)?.cadence;
  const x = first?.tS ?? [];
  const clock = report.guestClock;
  return {
    x,
    bucketS: first?.bucketS ?? 0,
    sources: report.sources
      .filter((s) => s.enabled)
      .map((s) => ({ name: s.name, intervalMs: s.intervalMs, rate: s.rate.max.map((v) => v ?? 0), cadenceMin: aligned(s.cadence, x).min, cadenceMax: aligned(s.cadence, x).max })),
    gaps: report.sources.flatMap((s) => s.gaps.map((g) => ({ source: s.name, startS: g.startS, endS: g.endS, causes: g.causes, excused: g.excused }))),
    markers: report.markers.map((m) => ({ tS: m.tS, name: m.name, phase: m.phase })),
    qmp: report.qmpEvents.map((e) => ({ tS: e.tS, name: e.name })),
    restarts: report.orchestratorRestarts.map((r) => ({ fromS: r.downFromS, toS: r.downToS })),
    clock:
      clock === null
        ? null
        : {
            source: clock.source,
            offsetMin: aligned(clock.offset, x).min,
            offsetMax: aligned(clock.offset, x).max,
            fit: x.map((t) => fittedAt(clock.fittedLines, t)),
            residualMin: aligned(clock.fitResidual, x).min,
            residualMax: aligned(clock.fitResidual, x).max,
            steps: clock.steps.map((s) => ({ fromS: s.fromS, toS: s.toS, sizeMs: s.sizeMs })),
          },
  };
}

// Every series shares the report's buckets; one that ended early is padded with nulls.
function aligned(points: MinMaxPoints, x: number[]): { min: Array<number | null>; max: Array<number | null> } {
  const pad = (values: Array<number | null>) => x.map((_, i) => values[i] ?? null);
  return { min: pad(points.min), max: pad(points.max) };
}

function fittedAt(lines: ReadonlyArray<{ tS: [number, number]; offsetMs: [number, number] }>, t: number): number | null {
  for (const line of lines) {
    const [t0, t1] = line.tS;
    if (t < t0 || t > t1) continue;
    return t1 === t0 ? line.offsetMs[0] : line.offsetMs[0] + ((line.offsetMs[1] - line.offsetMs[0]) * (t - t0)) / (t1 - t0);
  }
  return null;
}
