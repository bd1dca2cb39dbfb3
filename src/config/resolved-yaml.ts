// `vmtel validate` prints the config as vmtel will run it, defaults filled and paths absolute,
// so a user sees what a silent key means before an episode depends on it.
import { dump } from 'js-yaml';

/**
 * `resolved` (EpisodeConfig.resolved) as YAML text that is itself a config resolving to the same
 * thing: a `$` in a value is written `$$`, so it is read back as text, not as a variable.
 */
export function renderResolvedYaml(resolved: Record<string, unknown>): string {
  // noRefs: collectors share default lists; anchors and aliases would only confuse a reader.
  // lineWidth -1: a long path stays on one line, where a user can copy it.
  return dump(escapeDollars(resolved), { noRefs: true, lineWidth: -1 });
}

function escapeDollars(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('$', '$$$$');
  if (Array.isArray(value)) return value.map(escapeDollars);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, escapeDollars(item)]));
  return value;
}
