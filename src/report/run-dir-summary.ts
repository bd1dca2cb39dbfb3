// A short account of a recorded episode for a person at a terminal: what each source recorded
// and lost, which events happened how often, and where the files are. Read from the run dir's
// own files, so it tells the truth about what is on disk rather than what a process believed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readManifest } from '../orchestrator/manifest';
import { EVENTS_FILE, LOG_FILE, MANIFEST_FILE } from '../run-dir-files';
import { VmtelError } from '../errors';

/** The summary of the episode in `runDir` as lines of text. */
export function summarizeRunDir(runDir: string): string {
  const manifest = readManifest(runDir);
  if (manifest === null) throw new VmtelError('VMTEL_USAGE', `${runDir} holds no ${MANIFEST_FILE}: not a vmtel run dir`);
  const lines = [
    `episode ${manifest.episode} of vm ${manifest.vm}: ${manifest.status}` +
      (manifest.stop_reason === null ? '' : ` (${manifest.stop_reason})`) +
      (manifest.duration_s === null ? '' : ` after ${manifest.duration_s.toFixed(1)} s`) +
      (manifest.orchestrator_restarts > 0 ? `, ${manifest.orchestrator_restarts} orchestrator restart(s)` : ''),
    '',
  ];
  const table = [['source', 'kind', 'rows', 'bytes', 'dropped', 'status', 'file']];
  for (const [name, c] of Object.entries(manifest.collectors)) {
    const dropped = Object.entries(c.dropped).map(([reason, n]) => `${reason}=${n}`).join(' ') || '0';
    table.push([name, c.kind, String(c.rows), String(c.bytes), dropped, c.status, c.output]);
  }
  lines.push(...alignColumns(table), '');
  const counts = countEvents(join(runDir, EVENTS_FILE));
  lines.push(`events (${join(runDir, EVENTS_FILE)}):`);
  lines.push(...[...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([event, n]) => `  ${event} ${n}`));
  lines.push('', `manifest: ${join(runDir, MANIFEST_FILE)}`, `log: ${join(runDir, LOG_FILE)}`);
  return `${lines.join('\n')}\n`;
}

function countEvents(path: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line === '') continue;
    const event = (JSON.parse(line) as { event?: unknown }).event;
    const name = typeof event === 'string' ? event : '(unnamed)';
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

function alignColumns(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd());
}
