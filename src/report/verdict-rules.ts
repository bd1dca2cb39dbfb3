// The verdict's rules, as data: each names itself (docs/report.md lists every name, and a test
// keeps the two in sync), says in one line what it checks, and turns the figures into reasons in
// plain words. The verdict is the worst severity among the reasons; none means ok.
import type { ClockStep, EpisodeReport, Gap, SourceFigures } from './report-types';
import type { Thresholds } from './thresholds';
import type { Reason, Severity } from './verdict-types';

export type Figures = Omit<EpisodeReport, 'verdict'>;

export interface Rule {
  name: string;
  doc: string;
  check(figures: Figures, t: Thresholds): Array<{ severity: Severity; message: string }>;
}

const s = (seconds: number) => `${seconds.toFixed(1)} s`;
const pct = (fraction: number) => `${(fraction * 100).toFixed(1)} %`;
const enabled = (f: Figures) => f.sources.filter((source) => source.enabled);
const warn = (message: string) => ({ severity: 'warning' as const, message });
const perSource = (check: (source: SourceFigures, t: Thresholds) => Array<{ severity: Severity; message: string }>) => (f: Figures, t: Thresholds) =>
  enabled(f).flatMap((source) => check(source, t));

export const RULES: readonly Rule[] = [
  {
    name: 'source_empty',
    doc: 'an enabled source recorded no row at all: unusable',
    check: perSource((x) => (x.rows === 0 ? [{ severity: 'unusable', message: `${x.name} recorded no rows` }] : [])),
  },
  {
    name: 'coverage',
    doc: "a source's rows cover less than `min_coverage` of the episode (gaps with nothing to record count as covered: the VM paused or shutting down, the guest not up yet): warning; less than `unusable_coverage`: unusable",
    check: perSource((x, t) => {
      if (x.coverage === null || x.rows === 0 || x.coverage >= t.min_coverage) return [];
      const severity: Severity = x.coverage < t.unusable_coverage ? 'unusable' : 'warning';
      return [{ severity, message: `${x.name} covers only ${pct(x.coverage)} of the episode (gaps: ${s(x.gaps.filter((g) => !g.excused).reduce((a, g) => a + g.durationS, 0))})` }];
    }),
  },
  {
    name: 'gap',
    doc: 'a source has a gap longer than `max_gap_s` that is not one with nothing to record: warning',
    // One reason per source: an episode with a thousand gaps needs one line saying so, not a thousand.
    check: perSource((x, t) => {
      const long = x.gaps.filter((g) => !g.excused && g.durationS > t.max_gap_s);
      const gapText = (g: Gap) => `a ${s(g.durationS)} gap from ${s(g.startS)} to ${s(g.endS)} (${g.causes.join('; ') || 'cause unknown'})`;
      if (long.length === 0) return [];
      if (long.length === 1) return [warn(`${x.name} has ${gapText(long[0]!)}`)];
      const longest = long.reduce((a, b) => (b.durationS > a.durationS ? b : a));
      return [warn(`${x.name} has ${long.length} gaps longer than ${t.max_gap_s} s (${s(long.reduce((sum, g) => sum + g.durationS, 0))} in all), the longest ${gapText(longest)}`)];
    }),
  },
  {
    name: 'rows_fraction',
    doc: 'from its first row to its last, outside its gaps, a sampler delivered fewer than `min_rows_fraction` of the rows its interval promises (missed ticks): warning',
    check: perSource((x, t) =>
      x.rowsFraction !== null && x.intervalFrom === 'config' && x.rowsFraction < t.min_rows_fraction
        ? [warn(`${x.name} delivered ${pct(x.rowsFraction)} of its expected rows outside gaps (${x.missedTicks} missed ticks)`)]
        : [],
    ),
  },
  {
    name: 'dropped',
    doc: 'a source dropped more than `max_dropped_fraction` of its input lines: warning',
    check: perSource((x, t) => {
      if (x.droppedFraction <= t.max_dropped_fraction) return [];
      const reasons = Object.entries(x.dropped).map(([reason, n]) => `${reason} ${n}`).join(', ');
      return [warn(`${x.name} dropped ${pct(x.droppedFraction)} of its input (${reasons})`)];
    }),
  },
  {
    name: 'unreadable_lines',
    doc: 'a row file holds lines that are not JSON objects, or ends in a cut line: warning',
    check: perSource((x) =>
      x.unreadableLines > 0 || x.unterminatedBytes > 0 ? [warn(`${x.name}'s file holds ${x.unreadableLines} unreadable line(s) and ${x.unterminatedBytes} byte(s) of a cut last line`)] : [],
    ),
  },
  {
    name: 'seq_missing',
    doc: "more than `max_seq_missing` guest rows are missing from the guest's seq numbering: warning",
    check: (f, t) => {
      const seq = f.guestClock?.seq;
      return seq !== undefined && seq.missing > t.max_seq_missing ? [warn(`${seq.missing} guest row(s) missing from the seq numbering, in ${seq.holes.length} hole(s)`)] : [];
    },
  },
  {
    name: 'seq_duplicates',
    doc: 'a guest seq number repeated or went back (other than to 0, an agent restart): warning',
    check: (f) => (f.guestClock !== null && f.guestClock.seq.duplicates > 0 ? [warn(`${f.guestClock.seq.duplicates} guest row(s) repeat or go back in seq`)] : []),
  },
  {
    name: 'clock_step',
    doc: 'the guest clock stepped by more than `clock_step_ms` and no VM pause explains it: warning',
    check: (f) => {
      const steps = (f.guestClock?.steps ?? []).filter((step) => !step.paused);
      const stepText = (step: ClockStep) => `by ${step.sizeMs.toFixed(1)} ms between ${s(step.fromS)} and ${s(step.toS)}`;
      if (steps.length === 0) return [];
      if (steps.length === 1) return [warn(`the guest clock jumped ${stepText(steps[0]!)}`)];
      const largest = steps.reduce((a, b) => (Math.abs(b.sizeMs) > Math.abs(a.sizeMs) ? b : a));
      return [warn(`the guest clock jumped ${steps.length} times, the largest ${stepText(largest)}`)];
    },
  },
  {
    name: 'drift',
    doc: 'the guest clock drifts by more than `max_drift_ppm` against the host, by more than twice the fit\'s standard error (a short or noisy episode that cannot tell is not judged): warning',
    check: (f, t) => {
      const drift = f.guestClock?.drift;
      if (drift?.ppm == null || drift.sePpm === null || Math.abs(drift.ppm) - 2 * drift.sePpm <= t.max_drift_ppm) return [];
      return [warn(`the guest clock drifts by ${drift.ppm.toFixed(1)} ± ${drift.sePpm.toFixed(1)} ppm (more than ${t.max_drift_ppm})`)];
    },
  },
  {
    name: 'residual',
    doc: "guest rows' delivery delay (over the least-delayed row of their window) exceeds `max_residual_p99_ms` at the 99th percentile: warning",
    check: (f, t) => {
      const p99 = f.guestClock?.residualMs.p99;
      return p99 != null && p99 > t.max_residual_p99_ms ? [warn(`guest rows arrive up to ${p99.toFixed(1)} ms late at p99 (more than ${t.max_residual_p99_ms} ms)`)] : [];
    },
  },
  {
    name: 'orchestrator_restart',
    doc: 'the orchestrator restarted during the episode (a crash, a pm2 restart): warning',
    check: (f) => f.orchestratorRestarts.map((r) => warn(`the orchestrator was down from ${s(r.downFromS)} to ${s(r.downToS)} and restarted`)),
  },
  {
    name: 'collector_restart',
    doc: 'a collector failed and was restarted, or gave up: warning',
    check: perSource((x) => [
      ...(x.restarts > 0 ? [warn(`${x.name} was restarted ${x.restarts} time(s)`)] : []),
      ...(x.gaveUp ? [warn(`${x.name} gave up after repeated failures`)] : []),
    ]),
  },
  {
    name: 'torn_line',
    doc: 'a torn last line was repaired after a crash (its bytes are kept in a .torn file): warning',
    check: (f) => f.tornLines.map((torn) => warn(`a torn line of ${torn.tornBytes} bytes was cut from ${torn.file}`)),
  },
  {
    name: 'not_stopped',
    doc: 'the manifest says the episode is still running: it crashed or is being recorded: warning',
    check: (f) => (f.status === 'stopped' ? [] : [warn(`the episode did not end cleanly (status ${f.status})`)]),
  },
  {
    name: 'events_unreadable',
    doc: 'events.jsonl holds unreadable lines: warning',
    check: (f) => (f.events.unreadable > 0 ? [warn(`events.jsonl holds ${f.events.unreadable} unreadable line(s)`)] : []),
  },
];

/** Every reason the rules give for `figures`, unusable ones first. */
export function reasonsFor(figures: Figures, thresholds: Thresholds): Reason[] {
  const reasons = RULES.flatMap((rule) => rule.check(figures, thresholds).map((r) => ({ rule: rule.name, ...r })));
  return [...reasons.filter((r) => r.severity === 'unusable'), ...reasons.filter((r) => r.severity === 'warning')];
}
