// Writes the figures into docs/benchmarks.md between its two markers, leaving the hand-written
// text around them (method, profiles, what is out of reach and why) as it is, and the raw runs
// to docs/benchmarks/results.json.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Figure } from './figures';
import type { Machine } from './machine';
import type { RawResults } from './suite';

const BEGIN = '<!-- results:begin (written by npm run bench; edit the text outside these markers) -->';
const END = '<!-- results:end -->';

export interface Results {
  date: string;
  command: string;
  runs: number;
  idleRuns: number;
  durationS: number;
  machine: Machine;
  figures: Figure[];
  raw: RawResults;
}

export function writeResultsJson(path: string, results: Results): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(results, null, 1)}\n`);
}

/** Replaces the figures section of the doc at `path` (creating the doc if it has none). */
export function writeResultsSection(path: string, results: Results, resultsLink: string): void {
  replaceMarkedSection(path, BEGIN, END, renderSection(results, resultsLink));
}

/** Replaces the text between the `begin` and `end` markers of the doc at `path` with `body`. */
export function replaceMarkedSection(path: string, begin: string, end: string, body: string): void {
  const doc = existsSync(path) ? readFileSync(path, 'utf8') : `# Benchmarks\n\n${begin}\n${end}\n`;
  const at = doc.indexOf(begin);
  const endAt = doc.indexOf(end);
  if (at < 0 || endAt < at) throw new Error(`${path} has no ${begin} … ${end} section to fill`);
  writeFileSync(path, `${doc.slice(0, at)}${begin}\n${body}${end}${doc.slice(endAt + end.length)}`);
}

function renderSection(results: Results, resultsLink: string): string {
  const { machine } = results;
  const rows = results.figures.map((f) => `| ${f.figure} | ${f.measured} | ${f.target} | ${f.met ? 'yes' : '**no**'} | ${f.runs.join(', ')} |`);
  return [
    `Measured ${results.date} with \`${results.command}\`: ${results.runs} runs per figure (idle episode: ${results.idleRuns} runs), ` +
      `${Math.round(results.durationS)} s in all. Raw runs: [${resultsLink}](${resultsLink}).`,
    '',
    `Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.ramGib} GiB RAM, Linux ${machine.kernel}, Node ${machine.node}. ` +
      `Load average (1 min): ${machine.loadBefore.toFixed(2)} when the suite started, ${machine.loadAfter?.toFixed(2)} when it ended.`,
    '',
    '| figure | measured (median of runs) | target | met | every run |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
