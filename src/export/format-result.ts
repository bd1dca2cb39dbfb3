// A query result as text: an aligned table for a person, JSON lines or CSV for a program.
// Integers stay exact in all three (DuckDB hands them over as bigint).
import { toJson } from '../sink/json-line';

export type ResultFormat = 'table' | 'json' | 'csv';

export function formatResult(result: { columns: string[]; rows: unknown[][] }, format: ResultFormat): string {
  const { columns, rows } = result;
  if (format === 'json') {
    return rows.map((row) => `${toJson(Object.fromEntries(columns.map((column, i) => [column, jsonValue(row[i])])))}\n`).join('');
  }
  if (format === 'csv') return [columns, ...rows.map((row) => row.map(cellText))].map((cells) => `${cells.map(csvCell).join(',')}\n`).join('');
  const cells = [columns, ...rows.map((row) => row.map((value) => (value === null ? 'NULL' : cellText(value))))];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => (line[i] ?? '').length)));
  const line = (values: string[]): string => values.map((value, i) => value.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(columns), line(widths.map((width) => '-'.repeat(width))), ...cells.slice(1).map(line)].map((text) => `${text}\n`).join('');
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object' && !(value instanceof Date)) return toJson(jsonValue(value));
  return String(value);
}

// DuckDB's JS values made JSON-ready: dates as ISO text, everything else as is.
function jsonValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(jsonValue);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, jsonValue(inner)]));
  return value;
}

function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
