// raw-reader.c, the alignment floor without Node, built once per suite with the system's C
// compiler (gcc is installed with apt-get when missing, as socat is).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureCommand } from './ensure-command';

// From dist/scripts/bench back to the source, which tsc does not copy.
const SOURCE = join(__dirname, '..', '..', '..', 'scripts', 'bench', 'raw-reader.c');

/** Compiles the C raw reader into `dir`; returns the program's path. */
export function buildCRawReader(dir: string): string {
  ensureCommand('cc', ['--version'], 'gcc');
  const program = join(dir, 'raw-reader');
  const build = spawnSync('cc', ['-O2', '-Wall', '-o', program, SOURCE], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`cc could not build ${SOURCE}: ${build.stderr}`);
  return program;
}
