// The tables behind the charts, as HTML: sources, gaps, the guest clock, markers and phases,
// restarts and events. Every cell is escaped text.
import type { EpisodeReport, SourceFigures } from '../report-types';
import { escapeHtml } from './escape';

type Cell = string | number | null;

export function table(caption: string, head: string[], rows: Cell[][]): string {
  if (rows.length === 0) return `<h3>${escapeHtml(caption)}</h3><p class="none">none</p>`;
  const tr = (cells: Cell[], tag: string) => `<tr>${cells.map((c) => `<${tag}>${escapeHtml(c === null ? '–' : String(c))}</${tag}>`).join('')}</tr>`;
  return `<h3>${escapeHtml(caption)}</h3><table><thead>${tr(head, 'th')}</thead><tbody>${rows.map((r) => tr(r, 'td')).join('')}</tbody></table>`;
}

const fixed = (value: number | null | undefined, digits: number) => (value === null || value === undefined ? null : value.toFixed(digits));
const pct = (value: number | null) => (value === null ? null : `${(value * 100).toFixed(1)} %`);

function sourceRow(s: SourceFigures): Cell[] {
  const dropped = Object.entries(s.dropped).map(([reason, n]) => `${reason} ${n}`).join(', ') || '0';
  return [
    s.name, s.kind, s.enabled ? s.status : 'disabled', s.rows, s.expectedRows, pct(s.rowsFraction), pct(s.coverage),
    s.intervalMs === null ? null : `${s.intervalMs.toFixed(1)} (${s.intervalFrom})`,
    fixed(s.cadenceMs.p50, 1), fixed(s.cadenceMs.p99, 1), fixed(s.cadenceMs.max, 1), s.missedTicks, s.gaps.length + s.gapsNotListed, dropped, s.restarts, s.file,
  ];
}

export function reportTables(report: EpisodeReport): string {
  const clock = report.guestClock;
  const parts = [
    table('Sources', ['source', 'kind', 'status', 'rows', 'expected', 'rows outside gaps', 'coverage', 'interval ms', 'p50 ms', 'p99 ms', 'max ms', 'missed ticks', 'gaps', 'dropped', 'restarts', 'file'], report.sources.map(sourceRow)),
    table('Gaps', ['source', 'from s', 'to s', 'length s', 'nothing to record', 'cause'], report.sources.flatMap((s) =>
      s.gaps.map((g) => [s.name, g.startS.toFixed(3), g.endS.toFixed(3), g.durationS.toFixed(3), g.excused ? 'yes' : 'no', g.causes.join('; ') || 'unknown'])),
    ),
  ];
  if (clock !== null) {
    parts.push(
      table(`Guest clock (${clock.source}, against ${clock.hostStamp})`, ['figure', 'value'], [
        ['drift, ppm (fitted between steps) ± standard error', `${fixed(clock.drift.ppm, 3)} ± ${fixed(clock.drift.sePpm, 3)}`],
        ['windows in the fit', clock.drift.points],
        ['delivery delay p50 / p99 / max, ms', `${fixed(clock.residualMs.p50, 3)} / ${fixed(clock.residualMs.p99, 3)} / ${fixed(clock.residualMs.max, 3)}`],
        ['fit residual p50 / p99, ms', `${fixed(clock.fitResidualMs.p50, 3)} / ${fixed(clock.fitResidualMs.p99, 3)}`],
        ['wall offset first / last, ms', clock.wallOffset === null ? null : `${Number(clock.wallOffset.firstNs) / 1e6} / ${Number(clock.wallOffset.lastNs) / 1e6}`],
        ['wall offset change, ms', clock.wallOffset === null ? null : Number(clock.wallOffset.changeNs) / 1e6],
        ['seq: rows / missing / duplicates / resets', `${clock.seq.rowsWithSeq} / ${clock.seq.missing} / ${clock.seq.duplicates} / ${clock.seq.resets}`],
      ]),
      table('Clock steps', ['between s', 'and s', 'size ms', 'cause'], clock.steps.map((s) => [s.fromS.toFixed(3), s.toS.toFixed(3), s.sizeMs.toFixed(3), s.cause])),
      table('Seq holes', ['at s', 'after seq', 'missing'], clock.seq.holes.map((h) => [h.tS.toFixed(3), h.afterSeq, h.missing])),
      table('Drift per stretch between steps', ['from s', 'to s', 'ppm', '± ppm', 'windows'], clock.driftBySegment.map((d) => [d.startS.toFixed(1), d.endS.toFixed(1), fixed(d.ppm, 3), fixed(d.sePpm, 3), d.points])),
      table('Drift per phase', ['phase', 'from s', 'to s', 'ppm', '± ppm', 'windows'], clock.driftByPhase.map((d) => [d.phase, d.startS.toFixed(1), d.endS.toFixed(1), fixed(d.ppm, 3), fixed(d.sePpm, 3), d.points])),
    );
  }
  parts.push(
    table('Markers', ['at s', 'name', 'phase', 'labels'], report.markers.map((m) => [m.tS.toFixed(3), m.name, m.phase ? 'yes' : 'no', Object.entries(m.labels).map(([k, v]) => `${k}=${v}`).join(' ')])),
    table('Phases', ['phase', 'from s', 'to s'], report.phases.map((p) => [p.name, p.startS.toFixed(3), p.endS.toFixed(3)])),
    table('QMP events', ['at s', 'event'], report.qmpEvents.map((e) => [e.tS.toFixed(3), e.name])),
    table('Orchestrator restarts', ['down from s', 'to s', 'restart'], report.orchestratorRestarts.map((r) => [r.downFromS.toFixed(3), r.downToS.toFixed(3), r.count])),
    table('Torn lines repaired', ['file', 'bytes'], report.tornLines.map((t) => [t.file, t.tornBytes])),
    table('Events', ['event', 'count'], Object.entries(report.events.byName).sort((a, b) => b[1] - a[1]).map(([name, n]) => [name, n])),
  );
  return parts.join('\n');
}
