// A real `vmtel run` for the control socket's tests: a config of fixture collectors written to a
// temp dir, the process started as a user would, and a wait until its control socket answers.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { requestControl } from '../../src/live/control-client';
import { fixtureModule } from '../helpers/episode-config';
import { startVmtel, type VmtelProcess } from '../helpers/vmtel-process';
import { waitFor } from '../helpers/wait-for';

export interface LiveEpisode {
  dir: string;
  runDir: string;
  config: string;
  vmtel: VmtelProcess;
}

/** A collector entry of a fixture module, with its options as YAML lines. */
export const fixtureEntry = (name: string, fixture: string, options: Record<string, number> = {}): string =>
  `  ${name}:\n    module: ${fixtureModule(fixture)}\n${Object.entries(options)
    .map(([key, value]) => `    ${key}: ${value}\n`)
    .join('')}`;

/** Writes `dir`/vm.yaml with `collectors` (entries) and `extra` top-level lines. */
export function writeLiveConfig(dir: string, collectors: string, extra = ''): string {
  const path = join(dir, 'vm.yaml');
  writeFileSync(path, `vm: testvm\nepisode: ep1\nrun_dir: run\nlog_level: error\n${extra}collectors:\n${collectors}`);
  return path;
}

/** Starts vmtel on `config` and waits until its control socket answers a status request. */
export async function startLiveEpisode(t: Pick<TestContext, 'after'>, dir: string, config: string, args: string[] = []): Promise<LiveEpisode> {
  const runDir = join(dir, 'run');
  const vmtel = startVmtel(t, ['run', '--config', config, ...args]);
  await waitFor('the control socket to answer', () => requestControl(runDir, { op: 'status' }).then(() => true), 15_000, 50);
  return { dir, runDir, config, vmtel };
}
