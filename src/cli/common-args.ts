// The `--config` option shared by every command that reads a per-VM YAML file.
import type { Argv } from 'yargs';

/** Adds the required `--config FILE` option. */
export function withConfigOption<T>(yargs: Argv<T>): Argv<T & { config: string }> {
  return yargs.option('config', {
    alias: 'c',
    type: 'string',
    demandOption: true,
    // Without it `-c` alone reads as an empty path, which normalize turns into ".".
    requiresArg: true,
    normalize: true,
    describe: "The VM's YAML config file",
  });
}

/** Adds the required `--run-dir DIR` option of the commands that read or talk to a run dir. */
export function withRunDirOption<T>(yargs: Argv<T>, describe: string): Argv<T & { 'run-dir': string }> {
  return yargs.option('run-dir', { type: 'string', demandOption: true, normalize: true, describe });
}
