// `vmtel summary` as text for a person at a terminal: the episode's span and each recording
// process's part of it, what each source recorded and lost, which events happened how often, and
// where the files are. Rendered from summarizeEpisode(), which `--json` prints as it is; a new
// part of the summary is a field there and a section here.
import { summarizeEpisode, type EpisodeSummary } from '../summary/episode-summary';

/** The summary of the episode in `runDir` as lines of text. */
export function summarizeRunDir(runDir: string): string {
  return renderSummary(summarizeEpisode(runDir));
}

/** `summary` as the lines `vmtel summary` prints. */
export function renderSummary(summary: EpisodeSummary): string {
  const sections = [headLines(summary), timelineLines(summary), sourceLines(summary), eventLines(summary), fileLines(summary)];
  return `${sections.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

const STATE_WORDS: Record<EpisodeSummary['state'], string> = {
  stopped: 'stopped',
  running: 'running now',
  interrupted: 'interrupted (no process stopped it; a restart would continue it)',
};

function headLines(s: EpisodeSummary): string[] {
  const restarts = s.processes.length > 1 ? `, recorded by ${s.processes.length} processes` : '';
  return [
    `episode ${s.episode} of vm ${s.vm}: ${STATE_WORDS[s.state]}${s.stop_reason === null ? '' : ` (${s.stop_reason})`}`,
    `span ${s.span_s.toFixed(1)} s, ${s.started_at} to ${s.ended_at}${s.state === 'running' ? ' (now)' : ''}${restarts}`,
  ];
}

function timelineLines(s: EpisodeSummary): string[] {
  if (s.processes.length === 0) return ['no process has recorded yet (events.jsonl has no episode_started)'];
  const gaps = s.gaps.reduce((sum, gap) => sum + gap.duration_s, 0);
  const lines = [`recorded ${s.recorded_s.toFixed(1)} s${s.gaps.length === 0 ? '' : `; ${s.gaps.length} gap(s) of ${gaps.toFixed(1)} s with nothing recorded`}:`];
  const rows: string[][] = [];
  s.processes.forEach((part, index) => {
    const end = part.end === 'stopped' ? `stopped (${part.stop_reason ?? '?'})` : part.end === 'running' ? 'running' : 'died without stopping (last row or event)';
    rows.push([`  process ${index + 1}`, `pid ${part.pid ?? '?'}`, `${clock(part.started_at)} → ${clock(part.ended_at)}`, `${part.duration_s.toFixed(1)} s`, end]);
    const gap = s.gaps[index];
    if (gap !== undefined) rows.push(['  gap', '', `${clock(gap.from)} → ${clock(gap.to)}`, `${gap.duration_s.toFixed(1)} s`, 'nothing recorded']);
  });
  return [...lines, ...alignColumns(rows)];
}

function sourceLines(s: EpisodeSummary): string[] {
  const table = [['source', 'kind', 'rows', 'bytes', 'dropped', 'status', 'file']];
  for (const source of s.sources) {
    const dropped = Object.entries(source.dropped).map(([reason, n]) => `${reason}=${n}`).join(' ') || '0';
    table.push([source.name, source.kind, String(source.rows), String(source.bytes), dropped, source.status, source.file]);
  }
  const note = s.counts_from === 'files' ? ['(rows and bytes counted in the files now; drops and status as of the last manifest)'] : [];
  return [...alignColumns(table), ...note];
}

function eventLines(s: EpisodeSummary): string[] {
  const lines = [`events (${s.files.events}):`];
  for (const { event, count, names } of s.events) {
    const detail = names === undefined ? '' : ` (${Object.entries(names).map(([name, n]) => `${name} ${n}`).join(', ')})`;
    lines.push(`  ${event} ${count}${detail}`);
  }
  if (s.unreadable_event_lines > 0) lines.push(`  (${s.unreadable_event_lines} line(s) that do not parse)`);
  return lines;
}

function fileLines(s: EpisodeSummary): string[] {
  return [`files in ${s.run_dir}: ${s.files.manifest} (manifest), ${s.files.events}, ${s.files.log} (log)`];
}

// HH:MM:SS.mmm of an ISO stamp: the date is in the span line above.
function clock(iso: string): string {
  return iso.slice(11, 23);
}

function alignColumns(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd());
}
