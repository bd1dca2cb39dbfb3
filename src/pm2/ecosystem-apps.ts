// The apps of ecosystem.config.js: one per VM, from the file VMTEL_CONFIG names or from every
// YAML file of VMTEL_CONFIG_DIR. A broken YAML still yields its app (vmtel reports it); only a
// choice of files that cannot be right (no file at all, two files for one VM) stops pm2 here.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '../config/config-error';
import type { Environment } from '../config/interpolate-env';
import { VmtelError } from '../errors';
import { appName, pm2App, type Pm2App } from './pm2-app';
import { readVmSummary, type VmSummary } from './vm-summary';

/** Where the per-VM files live when neither variable is set, relative to the repository. */
export const DEFAULT_CONFIG_DIR = join('config', 'vms');

const YAML_FILE = /\.ya?ml$/;

export interface EcosystemInput {
  env: Environment;
  /** The shell's folder: relative VMTEL_CONFIG and VMTEL_CONFIG_DIR are taken from it. */
  cwd: string;
  repoDir: string;
}

export function ecosystemApps({ env, cwd, repoDir }: EcosystemInput): Pm2App[] {
  const summaries = configFiles(env, cwd, repoDir).map((file) => readVmSummary(file, env));
  refuseSharedNames(summaries);
  return summaries.map((summary) => pm2App(summary, repoDir));
}

/** Absolute paths of the per-VM files to start, in name order. */
export function configFiles(env: Environment, cwd: string, repoDir: string): string[] {
  const single = env['VMTEL_CONFIG'];
  // A named file is taken even if it is missing: `vmtel run` then says so in pm2's error log.
  if (single !== undefined && single !== '') return [resolve(cwd, single)];
  const dirVariable = env['VMTEL_CONFIG_DIR'];
  const dir = dirVariable === undefined || dirVariable === '' ? resolve(repoDir, DEFAULT_CONFIG_DIR) : resolve(cwd, dirVariable);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    throw new VmtelError('VMTEL_CONFIG_UNREADABLE', `cannot list the per-VM config folder ${dir}: ${(err as Error).message}`, { cause: err });
  }
  const files = names.filter((name) => YAML_FILE.test(name)).sort();
  if (files.length === 0) throw new VmtelError('VMTEL_CONFIG_UNREADABLE', `no .yaml file in ${dir}; set VMTEL_CONFIG=FILE or VMTEL_CONFIG_DIR=DIR`);
  return files.map((name) => join(dir, name));
}

// Two apps with one name would make pm2 restart the first instead of starting the second.
function refuseSharedNames(summaries: VmSummary[]): void {
  const firstByName = new Map<string, VmSummary>();
  const problems = summaries.flatMap((summary) => {
    const name = appName(summary);
    const first = firstByName.get(name);
    if (first === undefined) {
      firstByName.set(name, summary);
      return [];
    }
    return [{ file: summary.configPath, line: summary.vmLine, keyPath: 'vm', message: `pm2 app ${name} is already ${first.configPath}'s; each VM needs a name of its own` }];
  });
  if (problems.length > 0) throw new ConfigError(problems);
}
