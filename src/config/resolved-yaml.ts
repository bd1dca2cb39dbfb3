// `vmtel validate` prints the config as vmtel will run it, defaults filled and paths absolute,
// so a user sees what a silent key means before an episode depends on it.
import { dump } from 'js-yaml';

/**
 * `resolved` (EpisodeConfig.resolved) as YAML text that is itself a config resolving to the same
 * thing: a `$` in a value is written `$$`, so it is read back as text, not as a variable.
 */
export function renderResolvedYaml(resolved: Record<string, unknown>): string {
  // lineWidth -1: a long path stays on one line, where a user can copy it. Collectors share
  // default lists, but escapeDollars copies every list and mapping, so js-yaml finds nothing
  // shared and writes no anchors or aliases (which would only confuse a reader).
  return dump(escapeDollars(resolved), { lineWidth: -1 });
}

function escapeDollars(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('$', '$$$$');
  if (Array.isArray(value)) return value.map(escapeDollars);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, escapeDollars(item)]));
  return value;
}
