// `vmtel report`'s work: the report of each run dir, written as one HTML page each (and an index
// page when there are several) or as one JSON document. Reports are made one after the other,
// so memory stays that of one episode's reading.
import { mkdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { writeFileAtomic } from '../orchestrator/atomic-file';
import { REPORT_FILE } from '../run-dir-files';
import { toJson } from '../sink/json-line';
import { episodeReport } from './episode-report';
import { renderIndexHtml, type IndexEntry } from './html/render-index';
import { renderReportHtml } from './html/render-report';
import type { EpisodeReport } from './report-types';

export const INDEX_FILE = 'index.html';

export interface WriteOptions {
  /** HTML: the page (one run dir) or the folder of pages and index (several); JSON: the file, else stdout. */
  out: string | undefined;
  json: boolean;
}

export interface Written {
  reports: EpisodeReport[];
  /** Each report page, then the index page if any; for JSON, the file (none for stdout). */
  paths: string[];
  /** The JSON document, when it goes to stdout. */
  jsonText: string | null;
}

export async function writeReports(runDirs: readonly string[], options: WriteOptions): Promise<Written> {
  const reports: EpisodeReport[] = [];
  for (const runDir of runDirs) reports.push(await episodeReport(runDir));
  if (options.json) {
    const text = `${toJson(reports.length === 1 ? reports[0] : reports)}\n`;
    if (options.out === undefined) return { reports, paths: [], jsonText: text };
    writeFile(options.out, text);
    return { reports, paths: [resolve(options.out)], jsonText: null };
  }
  const pages = uniquePaths(reports.map((report, i) => pagePath(report, runDirs[i]!, runDirs.length, options.out)));
  reports.forEach((report, i) => writeFile(pages[i]!, renderReportHtml(report)));
  if (reports.length === 1) return { reports, paths: pages, jsonText: null };
  const indexPath = join(options.out ?? '.', INDEX_FILE);
  const entries: IndexEntry[] = reports.map((report, i) => ({ report, href: relative(dirname(resolve(indexPath)), pages[i]!) }));
  writeFile(indexPath, renderIndexHtml(entries));
  return { reports, paths: [...pages, resolve(indexPath)], jsonText: null };
}

// One run dir: --out is the page, else RUN_DIR/report.html. Several: --out is a folder holding
// one page per episode (vm_episode.html), else each page goes into its own run dir.
function pagePath(report: EpisodeReport, runDir: string, count: number, out: string | undefined): string {
  if (out === undefined) return resolve(runDir, REPORT_FILE);
  if (count === 1) return resolve(out);
  return resolve(out, `${report.vm}_${report.episode}.html`);
}

// Two episodes of the same vm and name (two hosts, two trials) must not share a page.
function uniquePaths(paths: string[]): string[] {
  const seen = new Map<string, number>();
  return paths.map((path) => {
    const count = (seen.get(path) ?? 0) + 1;
    seen.set(path, count);
    return count === 1 ? path : path.replace(/\.html$/, `-${count}.html`);
  });
}

// Written beside and renamed over (the run dir's atomic write): a `report.html` someone left as
// a link in a run dir is replaced, never followed, and a reader never sees half a page.
function writeFile(path: string, text: string): void {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  writeFileAtomic(path, text, { durable: false });
}
