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
