// The index of several episodes' reports: one line each with its labels, duration, rows, drift
// and verdict, linked to its report page by a relative path, so the set can be moved together.
import type { EpisodeReport } from '../report-types';
import { escapeHtml } from './escape';
import { PAGE_CSP, PAGE_STYLE } from './render-report';
import { table } from './tables';

export interface IndexEntry {
  report: EpisodeReport;
  /** The report page's path relative to the index page. */
  href: string;
}

export function renderIndexHtml(entries: readonly IndexEntry[]): string {
  const rows = entries.map(({ report, href }) => {
    const rows = report.sources.reduce((sum, s) => sum + s.rows, 0);
    const drift = report.guestClock?.drift.ppm;
    return `<tr><td><a href="${escapeHtml(encodeURI(href))}">${escapeHtml(`${report.vm} / ${report.episode}`)}</a></td><td>${escapeHtml(
      Object.entries(report.labels).map(([k, v]) => `${k}=${v}`).join(' '),
    )}</td><td>${report.durationS.toFixed(1)}</td><td>${rows}</td><td>${drift == null ? '–' : drift.toFixed(2)}</td><td><span class="verdict verdict-${report.verdict.level}">${report.verdict.level}</span></td><td>${escapeHtml(
      report.verdict.reasons.map((r) => r.message).join('; '),
    )}</td></tr>`;
  });
  const empty = table('Episodes', [], []);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${PAGE_CSP}">
<title>vmtel reports</title><style>${PAGE_STYLE}</style></head><body>
<h1>vmtel reports: ${entries.length} episode(s)</h1>
${entries.length === 0 ? empty : `<table><thead><tr><th>episode</th><th>labels</th><th>duration s</th><th>rows</th><th>drift ppm</th><th>verdict</th><th>reasons</th></tr></thead><tbody>${rows.join('')}</tbody></table>`}
</body></html>
`;
}
