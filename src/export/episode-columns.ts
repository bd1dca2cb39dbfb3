// The columns that say which episode a row belongs to, put on every table: `vm`, `episode`, and
// one `label.<key>` column per label of any exported episode (null where an episode lacks it).
import { sqlIdent, sqlString } from './sql-text';
import type { EpisodeInput } from './episode-input';

/** `label.<key>`: the column name of a label. */
export function labelColumn(key: string): string {
  return `label.${key}`;
}

/** Every label key of `episodes`, sorted. */
export function labelKeysOf(episodes: readonly EpisodeInput[]): string[] {
  return [...new Set(episodes.flatMap((episode) => Object.keys(episode.labels)))].sort();
}

/** The identity columns of `episode` as SQL literals: `'vm1' AS vm, 'ep' AS episode, …`. */
export function episodeColumnsSql(episode: EpisodeInput, labelKeys: readonly string[]): string {
  const labels = labelKeys.map((key) => {
    const value = episode.labels[key];
    return `${value === undefined ? 'NULL::VARCHAR' : sqlString(value)} AS ${sqlIdent(labelColumn(key))}`;
  });
  return [`${sqlString(episode.manifest.vm)} AS vm`, `${sqlString(episode.manifest.episode)} AS episode`, ...labels].join(', ');
}

/** The identity column names, quoted: vm, episode, "label.…". */
export function episodeColumnNames(labelKeys: readonly string[]): string[] {
  return ['vm', 'episode', ...labelKeys.map((key) => sqlIdent(labelColumn(key)))];
}
