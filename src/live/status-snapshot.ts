// The reply to `status`: the episode as the running process sees it now. Rows, the last row and
// the drop total are read live from each collector's shared counts; drops by reason come from
// the worker's last counts report, which is asked for within a second of a new drop
// (episode-control.ts).
import type { EpisodeConfig } from '../config/episode-config';
import type { ControlBlock } from '../control/control-block';
import { shipLag } from '../fleet/ship-lag';
import type { CollectorSupervisor } from '../orchestrator/collector-supervisor';
import type { ControlCounts } from './control-server';
import type { Marker, MarkerBook } from './marker-book';
import { RATE_WINDOW_S, type RateWindow } from './rate-window';

export interface StatusSources {
  config: EpisodeConfig;
  control: ControlBlock;
  supervisors: readonly CollectorSupervisor[];
  rates: ReadonlyMap<string, RateWindow>;
  markers: MarkerBook;
  controlCounts: ControlCounts;
  clients: number;
}

const seconds = (ns: bigint | number): number => Math.round(Number(ns) / 1e6) / 1e3;

/** The `status` object of docs/control.md. */
export function statusSnapshot(sources: StatusSources): Record<string, unknown> {
  const { config, control, markers } = sources;
  const nowNs = control.monoNs();
  const collectors = Object.fromEntries(
    sources.supervisors.map((supervisor) => {
      const { live } = supervisor;
      const rows = live.rows;
      const rate = sources.rates.get(supervisor.config.name)?.rate(nowNs, rows) ?? null;
      const lastRowNs = live.lastRowMonoNs;
      return [
        supervisor.config.name,
        {
          state: supervisor.status,
          rows,
          rows_per_s: rate === null ? null : Math.round(rate * 10) / 10,
          last_row_age_s: lastRowNs === null ? null : seconds(Number(nowNs) - lastRowNs),
          dropped: supervisor.counts().dropped,
          dropped_total: live.droppedTotal,
          restarts: supervisor.restarts,
          last_reason: supervisor.lastReason,
        },
      ];
    }),
  );
  return {
    vm: config.vm,
    episode: config.episode,
    run_dir: config.runDir,
    labels: config.labels,
    pid: process.pid,
    state: control.isStopping() ? 'stopping' : 'recording',
    t_mono_ns: nowNs,
    t_wall_ns: control.wallNsAt(nowNs),
    episode_age_s: seconds(nowNs),
    rate_window_s: RATE_WINDOW_S,
    collectors,
    markers: markers.count,
    last_marker: markerFields(markers.last, nowNs),
    phase: markerFields(markers.phase, nowNs),
    control: { clients: sources.clients, ...sources.controlCounts },
    // With `ship:`: what the stream has not acknowledged yet (docs/fleet.md).
    ship: shipLag(config, nowNs),
  };
}

function markerFields(marker: Marker | null, nowNs: bigint): Record<string, unknown> | null {
  if (marker === null) return null;
  return { name: marker.name, labels: marker.labels, t_mono_ns: marker.tMonoNs, age_s: seconds(nowNs - marker.tMonoNs) };
}
