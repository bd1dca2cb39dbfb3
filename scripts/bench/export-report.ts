// Writes the export benchmark's figures into docs/benchmarks.md between their own markers, and
// its raw runs to docs/benchmarks/export.json; the same whether it ran alone or in the suite.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ExportBenchResult } from './export-bench';
import type { Machine } from './machine';
import { replaceMarkedSection } from './report';
import { median } from './stats';

const BEGIN = '<!-- export:begin (written by the export benchmark; edit the text outside these markers) -->';
const END = '<!-- export:end -->';
/** The target of issue 18: the whole export within 2× DuckDB's plain COPY of the guest file. */
const TARGET_RATIO = 2;

export interface ExportReport {
  date: string;
  command: string;
  runs: number;
  machine: Machine;
  result: ExportBenchResult;
}

/** Writes the section and the JSON; returns the section's text. */
export function writeExportReport(docPath: string, jsonPath: string, report: ExportReport): string {
  mkdirSync(dirname(jsonPath), { recursive: true });
  writeFileSync(jsonPath, `${JSON.stringify(report, null, 1)}\n`);
  const section = renderExportSection(report);
  replaceMarkedSection(docPath, BEGIN, END, section);
  return section;
}

function renderExportSection({ date, command, runs, machine, result }: ExportReport): string {
  const seconds = (list: Array<{ wallMs: number }>): string => (median(list.map((r) => r.wallMs)) / 1000).toFixed(1);
  const mib = (list: Array<{ peakRssMib: number }>): string => median(list.map((r) => r.peakRssMib)).toFixed(0);
  const every = (list: Array<{ wallMs: number }>): string => list.map((r) => (r.wallMs / 1000).toFixed(1)).join(', ');
  const ratios = result.export.map((run, i) => (run.wallMs / result.floor[i]!.wallMs).toFixed(2)).join(', ');
  const guestRows = (result.rows['guest_agent'] ?? 0).toLocaleString('en-US');
  return [
    `Measured ${date} with \`${command}\`: ${runs} runs of each, alternately. Raw runs: [benchmarks/export.json](benchmarks/export.json).`,
    '',
    `Machine: ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}. Load average (1 min): ${machine.loadBefore.toFixed(2)} when it started, ${machine.loadAfter?.toFixed(2)} when it ended.`,
    '',
    '| figure | measured (median of runs) | target | met | every run |',
    '| --- | --- | --- | --- | --- |',
    `| \`vmtel export\` of the hour: ${guestRows} guest rows (${result.guestFileMib.toFixed(0)} MiB) + 4 samplers × 3,600 rows, ÷ the floor | ${result.ratio.toFixed(2)} ×: ${seconds(result.export)} s vs ${seconds(result.floor)} s | ≤ ${TARGET_RATIO} × | ${result.ratio <= TARGET_RATIO ? 'yes' : '**no**'} | ${ratios} |`,
    `| \`vmtel export\` wall time, peak RSS | ${seconds(result.export)} s, ${mib(result.export)} MiB | | | ${every(result.export)} s |`,
    `| floor: DuckDB's plain \`COPY (SELECT * FROM read_json(guest file)) TO '…parquet'\` | ${seconds(result.floor)} s, ${mib(result.floor)} MiB | | | ${every(result.floor)} s |`,
    '',
  ].join('\n');
}
