// `vmtel run --new-run-dir`: each trial of an episode in a directory of its own, without editing
// the YAML. The configured run dir gets a UTC timestamp suffix (`ep001-20261129T194000Z`), and a
// counter when two trials start within one second. The directory is created here, exclusively,
// so two vmtel started at the same instant never share one.
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

// More trials of one episode within one second than this is a runaway loop, not an experiment.
const MAX_SAME_SECOND = 100;

/** Creates and returns a new, empty run dir beside `runDir`, named after it and `now`. */
export function createNewRunDir(runDir: string, dirMode: number, now = new Date()): string {
  mkdirSync(dirname(runDir), { recursive: true });
  const stamp = now.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
  for (let n = 1; n <= MAX_SAME_SECOND; n += 1) {
    const candidate = n === 1 ? `${runDir}-${stamp}` : `${runDir}-${stamp}-${n}`;
    try {
      mkdirSync(candidate, { mode: dirMode });
      // mkdir's mode is narrowed by the umask; the run dir gets dir_mode exactly, as a new one does.
      chmodSync(candidate, dirMode);
      return candidate;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  throw new Error(`${MAX_SAME_SECOND} run dirs named ${runDir}-${stamp} exist already`);
}
