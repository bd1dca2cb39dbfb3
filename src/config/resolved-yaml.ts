// `vmtel validate` prints the config as vmtel will run it, defaults filled and paths absolute,
// so a user sees what a silent key means before an episode depends on it.
import { dump } from 'js-yaml';

/** `resolved` (EpisodeConfig.resolved) as YAML text. */
export function renderResolvedYaml(resolved: Record<string, unknown>): string {
  // noRefs: collectors share default lists; anchors and aliases would only confuse a reader.
  // lineWidth -1: a long path stays on one line, where a user can copy it.
  return dump(resolved, { noRefs: true, lineWidth: -1 });
}
