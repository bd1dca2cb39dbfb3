// The floors for start latency on this machine, timed like vmtel from the harness's clock reading
// before spawn() to the instant the last of N empty workers runs: a bare Node process that only
// starts them (floor-bare.ts), and one that first parses a `vmtel run` command line with yargs, the
// parser vmtel is built on (floor-cli.ts). Both are bundled the way vmtel is. What vmtel takes
// beyond the second is its own; the rest is Node booting a process and N isolates on these cores.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { build } from 'esbuild';
import { withDeadline } from '../../test/helpers/wait-for';
import { BUNDLE_OPTIONS } from '../bundle-options';

/** Each: ms from spawn() to the last of `workers` empty workers running. */
export interface StartFloors {
  bare(workers: number): Promise<number>;
  /** The same after yargs has parsed a `vmtel run` command line. */
  cli(workers: number): Promise<number>;
}

/** Bundles both floors into `dir`. */
export async function buildStartFloors(dir: string): Promise<StartFloors> {
  await build({ ...BUNDLE_OPTIONS, entryPoints: ['bare', 'cli'].map((name) => join(__dirname, `floor-${name}.js`)), outdir: dir });
  return {
    bare: (workers) => timeToLastWorker([join(dir, 'floor-bare.js'), String(workers)]),
    cli: (workers) => timeToLastWorker([join(dir, 'floor-cli.js'), 'run', '--config', 'bench.yaml', '--run-dir', 'run', '--workers', String(workers)]),
  };
}

async function timeToLastWorker(args: string[]): Promise<number> {
  const spawnNs = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await withDeadline('a start floor process to exit', once(child, 'exit'), 10_000)) as [number | null];
  if (code !== 0 || output === '') throw new Error(`the start floor ${args[0]} failed (exit ${code})`);
  return Number(BigInt(output) - spawnNs) / 1e6;
}
