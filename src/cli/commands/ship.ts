// `vmtel ship --run-dir DIR`: ships what a finished run dir still holds unshipped, from its
// checkpoint on, with the ship: settings of the config that recorded it. A host cut off for a
// whole episode delivers it this way; running it on a fully shipped dir sends nothing.
import type { Argv, CommandModule } from 'yargs';
import type { ShipArgs } from '../../fleet/fleet-cli-args';
import { loadFleetCli } from '../../fleet/load-fleet-cli';

export const shipCommand: CommandModule<object, ShipArgs> = {
  command: 'ship',
  describe: "Ship a finished run dir's unshipped remainder to the ship: stream",
  builder: (yargs: Argv) =>
    yargs
      .option('run-dir', { type: 'string', demandOption: true, normalize: true, describe: 'The run dir to ship' })
      .option('config', { alias: 'c', type: 'string', normalize: true, describe: "The VM's config (default: the one episode.json names)" })
      .option('timeout', { type: 'number', describe: 'Give up after this many seconds (default: retry until shipped)' })
      .check((argv) => {
        if (argv.timeout !== undefined && !(argv.timeout > 0)) throw new Error(`--timeout: expected a positive number of seconds, got ${argv.timeout}`);
        return true;
      })
      .example('$0 ship --run-dir runs/vm1/ep1', 'send what the stop of vm1/ep1 could not'),
  handler: (argv) => loadFleetCli().shipRunDir(argv),
};
