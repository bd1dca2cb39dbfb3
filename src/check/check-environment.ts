// The body of `vmtel check` once the config is valid: the run dir, each enabled source, and with
// --once a first sample of each. Returns the subjects that failed; prints as it goes.
import type { EpisodeConfig } from '../config/episode-config';
import { formatResults, ok, type CheckResult } from './check-result';
import { checkRunDir } from './run-dir-check';
import { sampleOnce } from './sample-once';
import { checkSource } from './source-checks';

/** Checks `config`'s environment, and samples every source when `onceTimeoutMs` is set. */
export async function checkEnvironment(config: EpisodeConfig, onceTimeoutMs: number | null, print: (text: string) => void): Promise<string[]> {
  const enabled = config.collectors.filter((c) => c.enabled);
  const results: CheckResult[] = [
    ok('config', `${config.configPath}: valid (vm ${config.vm}, episode ${config.episode}, ${enabled.length} collector(s) enabled)`),
    checkRunDir(config),
    ...(await Promise.all(enabled.map((collector) => checkSource(collector)))),
  ];
  print(formatResults(results));
  const failed = results.filter((result) => result.status === 'FAIL').map((result) => result.subject);
  if (onceTimeoutMs === null) return failed;

  print(`\none sample of every source (nothing written; at most ${onceTimeoutMs / 1000} s each):\n`);
  for (const { result, capture } of await sampleOnce(config, onceTimeoutMs)) {
    print(`\n${formatResults([result])}`);
    for (const row of capture.rows) print(`  ${row}\n`);
    for (const event of capture.events) print(`  event ${event}\n`);
    if (result.status === 'FAIL') failed.push(`${result.subject} (once)`);
  }
  return failed;
}
