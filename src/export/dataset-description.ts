// dataset.json: the dataset says what it is. Which episodes and sources it holds (and which were
// left out as lab-only), every column of every source with its type, the grid, the rule that
// made each feature column, how many rows each table holds against what the manifests recorded,
// and the vmtel that wrote it.
import { VMTEL_VERSION } from '../version';
import type { DatasetViews } from './dataset-views';
import { labelColumn } from './episode-columns';
import { timelineSegments } from './episode-timeline';
import { ELEMENT_ID_KEYS } from './list-features';
import type { EpisodeInput } from './episode-input';
import type { ExportRequest } from './export-dataset';

export interface TableCounts {
  /** Per source, rows exported per `vm/episode`. */
  rows: Record<string, Record<string, number>>;
  events: number;
  episodes: number;
  features: number;
}

// The rules, said once in words for whoever opens the file without the docs.
const RULES = {
  rows: 'one row per whole JSONL line; objects flattened to `a.b` columns, arrays kept as one JSON column; t_mono_ns and t_wall_ns BIGINT, built-in u64 counters UBIGINT, other integers BIGINT, or UBIGINT / DECIMAL(38,0) when a value passes 2^63',
  features:
    `one row per episode per bin [bin × grid_ns, (bin+1) × grid_ns) of the episode's timeline: t_mono_ns (guest rows t_guest_host_ns when present) plus the shift_ns of the row's timeline segment (the last whose from_wall_ns is at or before its t_wall_ns); counters: rate per second over the intervals ending in the bin; gauges: mean of the bin; each numeric field of a list's elements as \`<source>.<list>.<id>.<field>\`, the id \`key=value\` of the element's first id key (${ELEMENT_ID_KEYS.join(', ')}) or its position \`[n]\`; \`<source>.rows_in_bin\` 0 and nulls where a source has no row; phase: the last phase marker at or before the bin start`,
  deployable_only: 'only sources every episode recorded with available_in_deployment: true, in rows, events (plus markers) and features; episodes keeps identity and labels',
};

export function describeDataset(input: { request: ExportRequest; episodes: readonly EpisodeInput[]; views: DatasetViews; counts: TableCounts }) {
  const { request, episodes, views, counts } = input;
  const extension = request.format;
  return {
    vmtel_version: VMTEL_VERSION,
    format: request.format,
    deployable_only: request.deployableOnly,
    grid: request.gridText,
    grid_ns: Number(request.gridNs),
    rules: RULES,
    episodes: episodes.map((episode) => ({
      vm: episode.manifest.vm,
      episode: episode.manifest.episode,
      labels: episode.labels,
      unreadable_event_lines: episode.unreadableEventLines,
      // Where each segment sits on the episode's timeline (a wall time of 19 digits as exact text).
      timeline_segments: timelineSegments(episode.manifest).map((segment) => ({
        segment: segment.segment,
        from_wall_ns: String(segment.fromWallNs),
        shift_ns: Number(segment.shiftNs),
      })),
      rows: Object.fromEntries(
        episode.sources
          .filter((source) => !views.leftOut.includes(source.name))
          .map((source) => [source.name, { recorded: source.rowsRecorded, exported: counts.rows[source.name]?.[`${episode.manifest.vm}/${episode.manifest.episode}`] ?? 0 }]),
      ),
    })),
    sources: views.sources.map((source) => ({
      name: source.name,
      available_in_deployment: source.deployable,
      file: `rows/${source.name}.${extension}`,
      rows: Object.values(counts.rows[source.name] ?? {}).reduce((sum, n) => sum + n, 0),
      counters: source.sourceRules.rules.counterPatterns,
      ...(source.sourceRules.note === null ? {} : { note: source.sourceRules.note }),
      columns: source.layout.columns.map((column) => ({ name: column.name, type: column.type })),
      ...(source.layout.skipped.length === 0 ? {} : { skipped_keys: source.layout.skipped }),
    })),
    sources_left_out: views.leftOut,
    label_columns: views.labelKeys.map(labelColumn),
    tables: {
      events: { file: `events.${extension}`, rows: counts.events },
      episodes: { file: `episodes.${extension}`, rows: counts.episodes },
      features: {
        file: `features.${extension}`,
        rows: counts.features,
        columns: views.sources.flatMap((source) => [
          { column: `${source.name}.rows_in_bin`, source: source.name, rule: 'count' },
          ...views.featureColumns.filter((feature) => feature.source === source.name).map((rule) => ({ column: rule.column, source: source.name, field: rule.field, rule: rule.rule })),
        ]),
      },
    },
  };
}
