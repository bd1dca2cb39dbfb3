// Each collector appends to its own file from its own thread; two writers on one file would
// interleave and tear lines. So no two enabled collectors may share an output file, and none may
// take a file vmtel itself writes in the run dir.
import { join } from 'node:path';
import { RUN_DIR_OWN_FILES } from '../run-dir-files';
import type { CollectorEntry } from './collector-entry';
import type { ProblemList } from './problem-list';

/** Reports every enabled collector whose output file is taken already. */
export function reportOutputClashes(collectors: readonly CollectorEntry[], runDir: string, problems: ProblemList): void {
  const owners = new Map<string, string>(RUN_DIR_OWN_FILES.map((file) => [join(runDir, file), 'vmtel itself']));
  for (const collector of collectors) {
    if (!collector.enabled) continue;
    const owner = owners.get(collector.output);
    if (owner === undefined) {
      owners.set(collector.output, `collectors.${collector.name}`);
    } else {
      problems.add(['collectors', collector.name, 'output'], `duplicate output file ${collector.output}; also used by ${owner}`);
    }
  }
}
