// One episode's report as one self-contained HTML file: the verdict and its reasons first, then
// the charts (timeline, guest clock, cadence per source) and the tables. Everything it needs is
// inside it (uPlot, styles, data), and its Content-Security-Policy forbids any fetch, so it opens
// from disk anywhere and cannot reach the network.
import type { EpisodeReport } from '../report-types';
import { chartData } from './chart-data';
import { escapeHtml, scriptJson } from './escape';
import { PAGE_SCRIPT } from './page-script';
import { reportTables } from './tables';
import { uplotAssets } from './uplot-assets';

export const PAGE_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

export const PAGE_STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 16px 24px; color: #222; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 24px 0 8px; } h3 { font-size: 15px; margin: 16px 0 4px; }
.verdict { display: inline-block; padding: 2px 10px; border-radius: 4px; font-weight: 600; color: #fff; }
.verdict-ok { background: #2e7d32; } .verdict-warning { background: #e67e00; } .verdict-unusable { background: #b00020; }
table { border-collapse: collapse; font-size: 13px; } td, th { border: 1px solid #ccc; padding: 2px 6px; text-align: left; }
th { background: #f3f3f3; } .none { color: #777; margin: 0; } .meta { color: #555; } .chart { margin: 8px 0 16px; }
.legend-note { color: #555; font-size: 12px; }
`;

export function renderReportHtml(report: EpisodeReport): string {
  const assets = uplotAssets();
  const title = `vmtel report: ${report.vm} / ${report.episode}`;
  const labels = Object.entries(report.labels).map(([k, v]) => `${k}=${v}`).join(' ');
  const reasons = report.verdict.reasons.map((r) => `<li>${escapeHtml(`${r.severity}: ${r.message}`)} <span class="meta">[${escapeHtml(r.rule)}]</span></li>`).join('');
  const cadenceCharts = report.sources.filter((s) => s.enabled).map((_, i) => `<div class="chart" id="chart-cadence-${i}"></div>`).join('');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${PAGE_CSP}">
<title>${escapeHtml(title)}</title>
<style>${assets.css}</style><style>${PAGE_STYLE}</style>
</head><body>
<h1>${escapeHtml(title)}</h1>
<p class="meta">${escapeHtml(`${report.status}${report.stopReason === null ? '' : ` (${report.stopReason})`}, ${report.durationS.toFixed(1)} s${labels === '' ? '' : `, labels ${labels}`}, run dir ${report.runDir}`)}</p>
<p>Verdict: <span class="verdict verdict-${report.verdict.level}" id="verdict">${report.verdict.level}</span></p>
${reasons === '' ? '<p>No rule fired: every source delivered at its cadence.</p>' : `<ul id="reasons">${reasons}</ul>`}
<h2>Timeline</h2>
<p class="legend-note">Red shading: a gap of a source; grey: a gap with nothing to record (the VM paused or shutting down, the guest not up yet). Vertical lines: markers (green, dashed), phases (purple), QMP events (orange, dashed), orchestrator restarts (red). Hover a chart for its values.</p>
<div class="chart" id="chart-timeline"></div>
${report.guestClock === null ? '' : '<h2>Guest clock</h2><div class="chart" id="chart-clock"></div><div class="chart" id="chart-residual"></div>'}
<h2>Cadence</h2>
${cadenceCharts}
<h2>Tables</h2>
${reportTables(report)}
<script>${assets.js}</script>
<script type="application/json" id="vmtel-data">${scriptJson(chartData(report))}</script>
<script>${PAGE_SCRIPT}</script>
</body></html>
`;
}
