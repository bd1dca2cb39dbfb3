#!/usr/bin/env node
// The `vmtel` command. yargs parses; every failure, argument errors included, leaves through
// reportError as one line with a code, and reportError is the only place that sets the exit code.
import yargs, { type CommandModule } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { VmtelError } from '../errors';
import { VMTEL_VERSION } from '../version';
import { checkCommand } from './commands/check';
import { initCommand } from './commands/init';
import { markCommand } from './commands/mark';
import { reportCommand } from './commands/report';
import { archiveCommand } from './commands/archive';
import { exportCommand } from './commands/export';
import { runCommand } from './commands/run';
import { shipCommand } from './commands/ship';
import { simCommand } from './commands/sim';
import { statusCommand } from './commands/status';
import { sqlCommand } from './commands/sql';
import { summaryCommand } from './commands/summary';
import { tapCommand } from './commands/tap';
import { validateCommand } from './commands/validate';
import { HELP_EPILOGUE } from './help-epilogue';
import { reportError } from './report-error';
import { usageError } from './usage-error';

// Every command, in the order `vmtel --help` lists them (each has its own argv type). Add a command here.
const COMMANDS: ReadonlyArray<CommandModule<object, any>> = [
  runCommand,
  checkCommand,
  validateCommand,
  initCommand,
  summaryCommand,
  reportCommand,
  exportCommand,
  sqlCommand,
  statusCommand,
  markCommand,
  tapCommand,
  shipCommand,
  archiveCommand,
  simCommand,
];
const COMPLETION_COMMAND = 'completion';
const COMMAND_NAMES = [...COMMANDS.map((command) => String(command.command).split(' ')[0]!), COMPLETION_COMMAND];

export async function main(argv: string[]): Promise<void> {
  const cli = yargs(argv);
  for (const command of COMMANDS) cli.command(command);
  await cli
    .scriptName('vmtel')
    .usage('$0 <command> [options]\n\nRecords telemetry from a QEMU/KVM VM during an experiment episode.')
    .demandCommand(1, `name a command: ${COMMAND_NAMES.join(', ')}`)
    .completion(COMPLETION_COMMAND, 'Print a bash/zsh completion script: vmtel completion >> ~/.bashrc')
    .strict()
    .version(VMTEL_VERSION)
    .help()
    .alias('help', 'h')
    .wrap(Math.min(100, cli.terminalWidth()))
    .epilogue(HELP_EPILOGUE)
    .fail((message: string | null, err: Error | undefined) => {
      // yargs reports its own complaints (unknown option, failed check) with a message; errors
      // thrown by a command's handler arrive as `err` alone and keep their code.
      if (err instanceof VmtelError || (err !== undefined && message === null)) throw err;
      // getOptions() (public in yargs 17 and 18, missing from their types) holds the options of the
      // command being parsed when yargs failed.
      const optionNames = Object.keys((cli as unknown as { getOptions(): { key: object } }).getOptions().key);
      throw usageError(message ?? err?.message ?? 'bad arguments', { argv, optionNames, commandNames: COMMAND_NAMES });
    })
    .parseAsync();
}

main(hideBin(process.argv)).catch(reportError);
