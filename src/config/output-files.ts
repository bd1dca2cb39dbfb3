// Each collector appends to its own file from its own thread; two writers on one file would
// interleave and tear lines. So no two enabled collectors may share an output file, and none may
// take a file vmtel itself writes in the run dir.
import { join } from 'node:path';
import type { CollectorConfig } from './episode-config';
import type { ProblemList } from './problem-list';

// What vmtel itself keeps in every run dir: the events, the manifest, the log and the lock.
// The orchestrator and logger own these names; they are repeated here because importing them
// would pull the orchestrator into config validation.
const RESERVED_FILES = ['events.jsonl', 'episode.json', 'vmtel.log', 'vmtel.lock'];

/** Reports every enabled collector whose output file is taken already. */
export function reportOutputClashes(collectors: readonly CollectorConfig[], runDir: string, problems: ProblemList): void {
  const owners = new Map<string, string>(RESERVED_FILES.map((file) => [join(runDir, file), 'vmtel itself']));
  for (const collector of collectors) {
    if (!collector.enabled) continue;
    const owner = owners.get(collector.outputPath);
    if (owner === undefined) {
      owners.set(collector.outputPath, `collectors.${collector.name}`);
    } else {
      problems.add(['collectors', collector.name, 'output'], `duplicate output file ${collector.outputPath}; also used by ${owner}`);
    }
  }
}
