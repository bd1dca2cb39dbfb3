#!/usr/bin/env node
// The `vmtel` command. yargs parses; every failure, argument errors included, leaves through
// reportError as one line with a code, and reportError is the only place that sets the exit code.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { VmtelError } from '../errors';
import { VMTEL_VERSION } from '../version';
import { exportCommand } from './commands/export';
import { runCommand } from './commands/run';
import { simCommand } from './commands/sim';
import { sqlCommand } from './commands/sql';
import { summaryCommand } from './commands/summary';
import { validateCommand } from './commands/validate';
import { reportError } from './report-error';

export async function main(argv: string[]): Promise<void> {
  await yargs(argv)
    .scriptName('vmtel')
    .usage('$0 <command> [options]\n\nRecords telemetry from a QEMU/KVM VM during an experiment episode.')
    .command(runCommand)
    .command(validateCommand)
    .command(simCommand)
    .command(summaryCommand)
    .command(exportCommand)
    .command(sqlCommand)
    .demandCommand(1, 'name a command: run, validate, summary, export, sql or sim')
    .strict()
    .version(VMTEL_VERSION)
    .help()
    .alias('help', 'h')
    .epilogue('Exit codes: 0 done, 1 runtime failure, 2 bad config or bad arguments. See docs/errors.md.')
    .fail((message: string | null, err: Error | undefined) => {
      // yargs reports its own complaints (unknown option, failed check) with a message; errors
      // thrown by a command's handler arrive as `err` alone and keep their code.
      if (err instanceof VmtelError || (err !== undefined && message === null)) throw err;
      throw new VmtelError('VMTEL_USAGE', message ?? err?.message ?? 'bad arguments');
    })
    .parseAsync();
}

main(hideBin(process.argv)).catch(reportError);
