// `vmtel status` for a person: the episode's head line, then one line per collector, aligned;
// and the same table drawn from the manifest when nothing is recording.
import type { Manifest } from '../orchestrator/manifest';

type Row = readonly string[];

const COLLECTOR_HEADER = ['collector', 'state', 'rows', 'rows/s', 'last row', 'dropped', 'restarts'];

/** The table of a live `status` reply. */
export function liveStatusTable(status: Record<string, unknown>): string {
  const phase = status['phase'] as { name: string; age_s: number } | null;
  const labels = Object.entries((status['labels'] ?? {}) as Record<string, unknown>).map(([k, v]) => `${k}=${String(v)}`);
  const head = [
    `${String(status['vm'])} / ${String(status['episode'])}  ${String(status['state'])}  age ${duration(status['episode_age_s'] as number)}`,
    `phase ${phase === null ? '-' : `${phase.name} (${duration(phase.age_s)})`}  markers ${String(status['markers'])}${labels.length === 0 ? '' : `  labels ${labels.join(' ')}`}`,
  ];
  const ship = status['ship'] as { lag_bytes: number; lag_s: number | null } | null;
  if (ship !== null) head.push(`ship lag ${ship.lag_bytes} bytes${ship.lag_s === null ? '' : `, ${duration(ship.lag_s)}`}`);
  const collectors = Object.entries(status['collectors'] as Record<string, Record<string, unknown>>).map(([name, c]) => [
    name,
    String(c['state']),
    String(c['rows']),
    c['rows_per_s'] === null ? '-' : (c['rows_per_s'] as number).toFixed(1),
    c['last_row_age_s'] === null ? '-' : `${(c['last_row_age_s'] as number).toFixed(1)}s ago`,
    droppedCell(c['dropped'] as Record<string, number>),
    String(c['restarts']),
  ]);
  return `${head.join('\n')}\n${aligned([COLLECTOR_HEADER, ...collectors])}`;
}

/** The table of a run dir nobody records in, from its manifest, said to be such. */
export function manifestStatusTable(runDir: string, manifest: Manifest): string {
  const head = `no vmtel is recording in ${runDir}; from its episode.json (status ${manifest.status}${manifest.stop_reason === null ? '' : `, ${manifest.stop_reason}`}):`;
  const rows = Object.entries(manifest.collectors)
    .filter(([, c]) => c.enabled)
    .map(([name, c]) => [name, c.status, String(c.rows), '-', '-', droppedCell(c.dropped), String(c.restarts)]);
  return `${head}\n${manifest.vm} / ${manifest.episode}  ${manifest.duration_s === null ? '' : `duration ${duration(manifest.duration_s)}  `}markers ${manifest.control?.markers ?? 0}\n${aligned([COLLECTOR_HEADER, ...rows])}`;
}

function droppedCell(dropped: Record<string, number>): string {
  const entries = Object.entries(dropped);
  return entries.length === 0 ? '0' : entries.map(([reason, n]) => `${n} ${reason}`).join(', ');
}

function duration(totalS: number): string {
  const s = Math.floor(totalS);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

function aligned(rows: readonly Row[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n') + '\n';
}
