// The start floor with vmtel's command-line parser: yargs reads a `vmtel run` command line with
// the options `vmtel run` has, strictly and with --help and --version as vmtel's does, and its
// handler starts the empty workers. What vmtel takes beyond this is its config, its run dir and
// its collectors.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { LOG_LEVELS } from '../../src/collectors/contract';
import { startEmptyWorkers } from './empty-workers';

void yargs(hideBin(process.argv))
  .scriptName('vmtel')
  .command(
    'run',
    'Record one episode of one VM',
    (run) =>
      run
        .option('config', { type: 'string', demandOption: true, describe: 'The per-VM YAML file' })
        .option('run-dir', { type: 'string', describe: "Where the episode's files go" })
        .option('duration', { type: 'number', describe: 'Stop after this many seconds' })
        .option('log-level', { choices: LOG_LEVELS, describe: 'Terminal log level' })
        .option('done-exit-code', { type: 'number', default: 0, describe: 'Exit code when the episode ended normally' })
        .option('workers', { type: 'number', demandOption: true, describe: 'Empty workers to start' }),
    (argv) => startEmptyWorkers(argv.workers),
  )
  .demandCommand(1)
  .strict()
  .version('0.0.0')
  .help()
  .parseAsync();
