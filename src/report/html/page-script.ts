// The report page's own script, run in the browser: it reads the chart data from the page and
// draws each chart with uPlot, with gaps shaded and markers, phases, QMP events, orchestrator
// restarts and clock steps drawn over the plot as labelled vertical lines. Plain ES2017, no
// modules, nothing fetched. `window.vmtelCharts` lists the charts for tests and the curious.
export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('vmtel-data').textContent);
  var PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
  var charts = [];
  window.vmtelCharts = charts;

  function width() { return Math.max(600, Math.min(1400, document.documentElement.clientWidth - 48)); }

  function vline(u, t, colour, label, dashed, row) {
    var ctx = u.ctx, b = u.bbox, x = Math.round(u.valToPos(t, 'x', true));
    if (x < b.left || x > b.left + b.width) return;
    ctx.save();
    ctx.strokeStyle = colour; ctx.lineWidth = 2 * devicePixelRatio;
    ctx.setLineDash(dashed ? [6 * devicePixelRatio, 4 * devicePixelRatio] : []);
    ctx.beginPath(); ctx.moveTo(x, b.top); ctx.lineTo(x, b.top + b.height); ctx.stroke();
    if (label) {
      ctx.fillStyle = colour; ctx.font = (11 * devicePixelRatio) + 'px sans-serif';
      ctx.fillText(label, x + 4 * devicePixelRatio, b.top + (12 + 13 * (row || 0)) * devicePixelRatio);
    }
    ctx.restore();
  }

  function shade(u, from, to, colour) {
    var ctx = u.ctx, b = u.bbox;
    var x0 = Math.max(b.left, u.valToPos(from, 'x', true)), x1 = Math.min(b.left + b.width, u.valToPos(to, 'x', true));
    if (x1 <= x0) return;
    ctx.save(); ctx.fillStyle = colour; ctx.fillRect(x0, b.top, Math.max(x1 - x0, 2 * devicePixelRatio), b.height); ctx.restore();
  }

  // What every timeline-like chart shows over its plot; gapsOf picks which sources' gaps.
  function overlays(gapsOf) {
    return function (u) {
      D.gaps.forEach(function (g) { if (gapsOf(g)) shade(u, g.startS, g.endS, g.excused ? 'rgba(128,128,128,0.25)' : 'rgba(214,39,40,0.22)'); });
      D.restarts.forEach(function (r) { shade(u, r.fromS, r.toS, 'rgba(214,39,40,0.35)'); vline(u, r.toS, '#b00020', 'orchestrator restart', false, 2); });
      D.qmp.forEach(function (e, i) { vline(u, e.tS, '#e67e00', 'QMP ' + e.name, true, 1 + (i % 2)); });
      D.markers.forEach(function (m) { vline(u, m.tS, m.phase ? '#6a1b9a' : '#00796b', (m.phase ? 'phase ' : 'marker ') + m.name, !m.phase, 0); });
    };
  }

  function chart(id, title, yLabel, series, data, draw) {
    var el = document.getElementById(id);
    var u = new uPlot({
      title: title, width: width(), height: 240,
      scales: { x: { time: false } },
      axes: [{ label: 'seconds since the episode started' }, { label: yLabel, size: 70 }],
      series: [{ label: 't (s)' }].concat(series),
      hooks: { draw: [draw] },
    }, [D.x].concat(data), el);
    charts.push({ id: id, title: title, uplot: u });
  }

  var timelineSeries = D.sources.map(function (s, i) { return { label: s.name + ' rows/s', stroke: PALETTE[i % PALETTE.length], width: 1.5 }; });
  chart('chart-timeline', 'Rows per second of every source', 'rows/s', timelineSeries, D.sources.map(function (s) { return s.rate; }), overlays(function () { return true; }));

  if (D.clock) {
    var c = D.clock;
    chart('chart-clock', 'Guest clock offset against the host (' + c.source + '), relative to the first row', 'offset (ms)', [
      { label: 'offset min', stroke: '#9ecae1', width: 1 },
      { label: 'offset max (least delayed)', stroke: '#1f77b4', width: 1.5 },
      { label: 'fitted drift', stroke: '#d62728', width: 2, dash: [8, 4] },
    ], [c.offsetMin, c.offsetMax, c.fit], function (u) {
      overlays(function (g) { return g.source === c.source; })(u);
      c.steps.forEach(function (s) { vline(u, s.toS, '#000000', 'step ' + s.sizeMs.toFixed(1) + ' ms', false, 3); });
    });
    chart('chart-residual', 'Least-delayed offsets minus the fitted line', 'residual (ms)', [
      { label: 'residual min', stroke: '#74c476', width: 1 },
      { label: 'residual max', stroke: '#238b45', width: 1 },
    ], [c.residualMin, c.residualMax], overlays(function (g) { return g.source === c.source; }));
  }

  D.sources.forEach(function (s, i) {
    chart('chart-cadence-' + i, 'Cadence of ' + s.name + (s.intervalMs ? ' (interval ' + s.intervalMs.toFixed(1) + ' ms)' : ''), 'interval (ms)', [
      { label: 'min interval', stroke: '#a1d99b', width: 1 },
      { label: 'max interval', stroke: PALETTE[i % PALETTE.length], width: 1.5 },
    ], [s.cadenceMin, s.cadenceMax], overlays(function (g) { return g.source === s.name; }));
  });
})();
`;
