// The report page in a real browser (Debian's chromium, driven by playwright-core; nothing is
// downloaded): opened from disk it logs no error, asks for nothing over the network, draws every
// chart, shows a marker and a gap where they belong, and shows values under the cursor. A
// screenshot is saved for a person to look at: VMTEL_REPORT_SCREENSHOT names where (the README's
// picture is made with docs/report-screenshot.png), else it goes to dist/test-output/.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { chromium, type Page } from 'playwright-core';
import { tempDir } from '../helpers/temp-dir';
import { runVmtel } from '../helpers/vmtel-process';
import { writeSyntheticRunDir } from '../helpers/synthetic-run-dir';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = resolve(process.env['VMTEL_REPORT_SCREENSHOT'] ?? join(__dirname, '..', '..', 'test-output', 'report-page.png'));
const MARKER_COLOUR = [0x00, 0x79, 0x6b];
const PHASE_COLOUR = [0x6a, 0x1b, 0x9a];

// The little of the DOM the checks below use (the project's types carry no DOM library).
interface Canvas2d {
  canvas: { width: number; height: number };
  getImageData(x: number, y: number, width: number, height: number): { data: Uint8ClampedArray };
}

interface ChartPixels {
  title: string;
  inkPixels: number;
}

test('the report page opens from disk in chromium: no error, no request, every chart drawn, a marker and a gap visible, values on hover', async (t) => {
  const dir = tempDir(t);
  const runDir = join(dir, 'run');
  writeSyntheticRunDir(runDir, {
    durationS: 300,
    guest: { rateHz: 20, driftPpm: 50, steps: [{ atS: 200, sizeNs: 1e9 }] },
    samplers: [
      { name: 'qmp', kind: 'qmp', intervalMs: 500 },
      { name: 'host', kind: 'host', intervalMs: 1000, gaps: [{ fromS: 100, toS: 130 }] },
    ],
    pause: { fromS: 60, toS: 70 },
    markers: [{ atS: 20, name: 'workload', phase: true }, { atS: 150, name: 'attack-starts', phase: false }],
    labels: { study: 'demo' },
  });
  const html = join(dir, 'report.html');
  const run = await runVmtel(t, ['report', runDir, '--out', html]);
  assert.equal(run.code, 0, run.stderr);
  assert.ok(statSync(html).size < 2 * 2 ** 20, `report of ${statSync(html).size} bytes`);

  // Its own folder, removed only once the browser has closed: Chromium writes its profile while
  // it shuts down, and would recreate a folder removed before that.
  const profile = mkdtempSync(join(tmpdir(), 'vt-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  t.after(async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(`file://${html}`);
  await page.waitForFunction(() => (globalThis as unknown as { vmtelCharts?: unknown[] }).vmtelCharts?.length === 6, undefined, { timeout: 20_000 });

  assert.deepEqual(problems, []);
  assert.deepEqual(requests, [`file://${html}`]);
  assert.equal(await page.textContent('#verdict'), 'warning');
  assert.match((await page.textContent('#reasons')) ?? '', /host has a 31\.0 s gap/);

  for (const chart of await chartInk(page)) assert.ok(chart.inkPixels > 500, `chart "${chart.title}" is blank (${chart.inkPixels} inked pixels)`);
  // The marker's and the phase's lines, and the host's gap, on the timeline.
  assert.ok((await columnShare(page, 150, (p) => near(p, MARKER_COLOUR))) > 0.2, 'the marker line is drawn at 150 s');
  assert.ok((await columnShare(page, 20, (p) => near(p, PHASE_COLOUR))) > 0.5, 'the phase line is drawn at 20 s');
  assert.ok((await columnShare(page, 115, reddish)) > 0.5, 'the gap is shaded at 115 s');
  assert.ok((await columnShare(page, 40, reddish)) < 0.1, 'no shading at 40 s');

  const before = await legendValues(page);
  assert.ok(before.every((v) => !/\d/.test(v)), `legend before hover: ${before}`);
  const box = (await page.locator('#chart-timeline .u-over').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
  const after = await legendValues(page);
  assert.match(after[0] ?? '', /^\d+(\.\d+)?$/, `the time under the cursor: ${after}`);
  assert.ok(after.slice(1).some((v) => /\d/.test(v)), `values under the cursor: ${after}`);

  mkdirSync(dirname(SCREENSHOT), { recursive: true });
  await page.mouse.move(0, 0);
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  assert.ok(existsSync(SCREENSHOT));
  t.diagnostic(`screenshot: ${SCREENSHOT}`);
});

// Pixels of each chart's canvas that are not background.
async function chartInk(page: Page): Promise<ChartPixels[]> {
  return page.evaluate(() => {
    const charts = (globalThis as unknown as { vmtelCharts: Array<{ title: string; uplot: { ctx: Canvas2d } }> }).vmtelCharts;
    return charts.map(({ title, uplot }) => {
      const canvas = uplot.ctx.canvas;
      const data = uplot.ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let inkPixels = 0;
      for (let i = 0; i < data.length; i += 4) {
        const [r = 0, g = 0, b = 0, a = 0] = data.subarray(i, i + 4);
        if (a > 0 && (r < 240 || g < 240 || b < 240)) inkPixels++;
      }
      return { title, inkPixels };
    });
  });
}

// Share of the timeline plot's pixel column at time `tS` for which `match` holds.
async function columnShare(page: Page, tS: number, match: (rgb: number[]) => boolean): Promise<number> {
  const column: number[][] = await page.evaluate((t) => {
    const u = (globalThis as unknown as { vmtelCharts: Array<{ uplot: { ctx: Canvas2d; bbox: { top: number; height: number }; valToPos(v: number, s: string, c: boolean): number } }> }).vmtelCharts[0]!.uplot;
    const x = Math.round(u.valToPos(t, 'x', true));
    const data = u.ctx.getImageData(x, u.bbox.top, 1, u.bbox.height).data;
    const pixels: number[][] = [];
    for (let i = 0; i < data.length; i += 4) pixels.push([data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!]);
    return pixels;
  }, tS);
  return column.filter(match).length / column.length;
}

function reddish([r = 0, g = 0, b = 0]: number[]): boolean {
  return r - g > 25 && r - b > 25;
}

function near(rgb: number[], colour: number[]): boolean {
  return colour.every((c, i) => Math.abs(rgb[i]! - c) <= 40);
}

async function legendValues(page: Page): Promise<string[]> {
  return page.locator('#chart-timeline .u-legend .u-value').allTextContents();
}
