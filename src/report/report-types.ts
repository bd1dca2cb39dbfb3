// The figures of one episode's report: what `vmtel report --json` writes, what the HTML page
// draws and what `vmtel export` puts in episodes.parquet. Times are seconds on the episode's
// timeline (t_mono_ns / 1e9) unless a name says otherwise; wall-clock stamps are exact bigints.
import type { MinMaxPoints } from './min-max-series';
import type { Verdict } from './verdict-types';

export interface TimeSpan {
  startS: number;
  endS: number;
}

export interface Gap extends TimeSpan {
  durationS: number;
  /** Causes the run dir's events give, in plain words; [] when nothing explains it. */
  causes: string[];
  /**
   * Nothing was there to record over most of the gap: the VM paused (QMP STOP) or shutting down
   * (POWERDOWN, SHUTDOWN), or the guest not yet up (before the agent's first row). Such a gap is
   * listed but counts as covered and is not judged by the gap rule.
   */
  excused: boolean;
}

export interface SourceFigures {
  name: string;
  kind: string;
  enabled: boolean;
  file: string;
  rows: number;
  /** The configured interval, or for a source without one (the guest agent) its observed median. */
  intervalMs: number | null;
  intervalFrom: 'config' | 'observed' | 'none';
  expectedRows: number | null;
  /** rows / rows expected in the time outside gaps: a starved sampler shows here, a gap does not. */
  rowsFraction: number | null;
  /** Fraction of the episode's time not inside a gap (VM pauses count as covered). */
  coverage: number | null;
  cadenceMs: { p50: number | null; p99: number | null; max: number | null };
  missedTicks: number;
  gaps: Gap[];
  /** Gaps beyond the first 1,000 are counted, not listed. */
  gapsNotListed: number;
  dropped: Record<string, number>;
  droppedFraction: number;
  unreadableLines: number;
  unterminatedBytes: number;
  restarts: number;
  gaveUp: boolean;
  status: string;
  stats: Record<string, number>;
  /** Rows per second, per bucket. */
  rate: MinMaxPoints;
  /** Interval between consecutive rows in ms, min/max per bucket. */
  cadence: MinMaxPoints;
}

export interface SeqFigures {
  rowsWithSeq: number;
  missing: number;
  duplicates: number;
  /** seq went back to 0: the agent restarted in the guest. */
  resets: number;
  holes: Array<{ tS: number; afterSeq: number; missing: number }>;
}

export interface ClockStep {
  /** The step lies between these two instants (the least-delayed rows of two windows). */
  fromS: number;
  toS: number;
  sizeMs: number;
  /** Plain words: a VM pause, or a jump of the guest's clock. */
  cause: string;
  paused: boolean;
}

export interface DriftFit {
  ppm: number | null;
  /** Standard error of ppm: a short or noisy episode says how little it knows. */
  sePpm: number | null;
  /** Windows that entered the fit. */
  points: number;
}

export interface GuestClockFigures {
  source: string;
  /** Which host stamp the guest's clock was compared with. */
  hostStamp: 't_guest_host_ns' | 't_mono_ns';
  rows: number;
  drift: DriftFit;
  driftBySegment: Array<TimeSpan & DriftFit>;
  driftByPhase: Array<{ phase: string } & TimeSpan & DriftFit>;
  steps: ClockStep[];
  /** Delivery delay of each row over the least-delayed row of its window. */
  residualMs: { p50: number | null; p99: number | null; max: number | null };
  /** Fitted-line residual of the least-delayed rows (how well the line fits). */
  fitResidualMs: { p50: number | null; p99: number | null };
  wallOffset: { firstNs: bigint; lastNs: bigint; minNs: bigint; maxNs: bigint; changeNs: bigint } | null;
  seq: SeqFigures;
  /** For the chart: least-delayed offset per window (ms, relative to the first) and the fitted lines. */
  offsetPoints: { tS: number[]; offsetMs: number[] };
  fittedLines: Array<{ tS: [number, number]; offsetMs: [number, number] }>;
  /** All rows' offsets, min/max per bucket (ms, relative to the first). */
  offset: MinMaxPoints;
  /** Least-delayed offsets minus the fitted line (ms), min/max per bucket. */
  fitResidual: MinMaxPoints;
}

export interface Marker {
  tS: number;
  name: string;
  phase: boolean;
  labels: Record<string, string>;
}

export interface TimelineEvent {
  tS: number;
  source: string;
  name: string;
}

export interface OrchestratorRestart {
  /** The last event of the previous process, and the new start. */
  downFromS: number;
  downToS: number;
  count: number;
}

export interface EpisodeReport {
  runDir: string;
  vm: string;
  episode: string;
  status: string;
  stopReason: string | null;
  startedWallNs: bigint;
  span: TimeSpan;
  durationS: number;
  labels: Record<string, string>;
  verdict: Verdict;
  sources: SourceFigures[];
  guestClock: GuestClockFigures | null;
  markers: Marker[];
  phases: Array<{ name: string } & TimeSpan>;
  qmpEvents: TimelineEvent[];
  orchestratorRestarts: OrchestratorRestart[];
  collectorsGaveUp: string[];
  tornLines: Array<{ file: string; tornBytes: number }>;
  events: { lines: number; unreadable: number; byName: Record<string, number> };
  thresholds: Record<string, number>;
}
