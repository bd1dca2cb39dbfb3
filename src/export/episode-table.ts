// episodes.parquet: one row per episode: who and what it was (vm, episode, labels), how it went
// (the manifest's status, times and restarts), what each source recorded and lost (the
// manifest's counts), and `vmtel report`'s verdict and figures. The deployable view keeps only
// identity, labels and the verdict: how the lab recorded an episode is not something a deployed
// detector can know, but whether the episode can be trusted is.
import type { Db } from './duckdb';
import { labelColumn } from './episode-columns';
import type { EpisodeReport } from '../report';
import type { EpisodeInput } from './episode-input';
import { createLiteralTable, type LiteralColumn, type LiteralValue } from './literal-table';

export const EPISODES_TABLE = 'episodes';

const MANIFEST_COLUMNS: readonly LiteralColumn[] = [
  { name: 'status', type: 'VARCHAR' },
  { name: 'stop_reason', type: 'VARCHAR' },
  { name: 'started_at', type: 'VARCHAR' },
  { name: 'stopped_at', type: 'VARCHAR' },
  { name: 'started_wall_ns', type: 'BIGINT' },
  { name: 'stopped_wall_ns', type: 'BIGINT' },
  { name: 'duration_s', type: 'DOUBLE' },
  { name: 't_mono_origin_ns', type: 'BIGINT' },
  { name: 'boot_id', type: 'VARCHAR' },
  { name: 'segment', type: 'BIGINT' },
  { name: 'orchestrator_restarts', type: 'BIGINT' },
  { name: 'vmtel_version', type: 'VARCHAR' },
  { name: 'config_digest', type: 'VARCHAR' },
  { name: 'torn_lines', type: 'BIGINT' },
  { name: 'unreadable_event_lines', type: 'BIGINT' },
];

// The report's judgement, in every view: `ok`, `warning` or `unusable`, and its reasons in words.
const VERDICT_COLUMNS: readonly LiteralColumn[] = [
  { name: 'verdict', type: 'VARCHAR' },
  { name: 'verdict_reasons', type: 'VARCHAR' },
];

// The report's figures of the guest's clock (null without a guest agent).
const GUEST_CLOCK_COLUMNS: readonly LiteralColumn[] = [
  { name: 'guest_drift_ppm', type: 'DOUBLE' },
  { name: 'guest_clock_steps', type: 'BIGINT' },
  { name: 'guest_seq_missing', type: 'BIGINT' },
];

// Per source, from the manifest's collector record and the report's figures.
const SOURCE_COLUMNS: ReadonlyArray<{ suffix: string; type: LiteralColumn['type'] }> = [
  { suffix: 'rows', type: 'UBIGINT' },
  { suffix: 'dropped', type: 'UBIGINT' },
  { suffix: 'restarts', type: 'BIGINT' },
  { suffix: 'status', type: 'VARCHAR' },
  { suffix: 'coverage', type: 'DOUBLE' },
  { suffix: 'gaps', type: 'BIGINT' },
];

/** Creates the episodes table; `deployableOnly` keeps identity and labels only. */
export async function createEpisodesTable(db: Db, episodes: readonly EpisodeInput[], labelKeys: readonly string[], deployableOnly: boolean): Promise<void> {
  const sourceNames = [...new Set(episodes.flatMap((episode) => episode.sources.map((source) => source.name)))].sort();
  const columns: LiteralColumn[] = [
    { name: 'vm', type: 'VARCHAR' },
    { name: 'episode', type: 'VARCHAR' },
    ...labelKeys.map((key): LiteralColumn => ({ name: labelColumn(key), type: 'VARCHAR' })),
    ...VERDICT_COLUMNS,
  ];
  if (!deployableOnly) {
    columns.push(...MANIFEST_COLUMNS, ...GUEST_CLOCK_COLUMNS);
    for (const name of sourceNames) columns.push(...SOURCE_COLUMNS.map(({ suffix, type }) => ({ name: `${name}.${suffix}`, type })));
  }
  const reports = await Promise.all(episodes.map((episode) => episode.report));
  await createLiteralTable(db, EPISODES_TABLE, columns, episodes.map((episode, i) => recordOf(episode, reports[i]!)));
}

function recordOf(episode: EpisodeInput, report: EpisodeReport): Record<string, LiteralValue> {
  const { manifest } = episode;
  const record: Record<string, LiteralValue> = {
    vm: manifest.vm,
    episode: manifest.episode,
    status: manifest.status,
    stop_reason: manifest.stop_reason,
    started_at: manifest.started_at,
    stopped_at: manifest.stopped_at,
    started_wall_ns: manifest.started_wall_ns,
    stopped_wall_ns: manifest.stopped_wall_ns,
    duration_s: manifest.duration_s,
    t_mono_origin_ns: manifest.t_mono_origin_ns,
    boot_id: manifest.boot_id,
    segment: manifest.segment,
    orchestrator_restarts: manifest.orchestrator_restarts,
    vmtel_version: manifest.vmtel_version,
    config_digest: manifest.config_digest,
    torn_lines: Array.isArray(manifest.torn_lines) ? manifest.torn_lines.length : null,
    unreadable_event_lines: episode.unreadableEventLines,
    verdict: report.verdict.level,
    verdict_reasons: report.verdict.reasons.map((reason) => reason.message).join('; '),
    guest_drift_ppm: report.guestClock?.drift.ppm ?? null,
    guest_clock_steps: report.guestClock?.steps.length ?? null,
    guest_seq_missing: report.guestClock?.seq.missing ?? null,
  };
  for (const [key, value] of Object.entries(episode.labels)) record[labelColumn(key)] = value;
  for (const [name, collector] of Object.entries(manifest.collectors)) {
    record[`${name}.rows`] = collector.rows;
    record[`${name}.dropped`] = Object.values(collector.dropped ?? {}).reduce((sum, n) => sum + n, 0);
    record[`${name}.restarts`] = collector.restarts;
    record[`${name}.status`] = collector.status;
  }
  for (const source of report.sources) {
    record[`${source.name}.coverage`] = source.coverage;
    record[`${source.name}.gaps`] = source.gaps.length + source.gapsNotListed;
  }
  return record;
}
