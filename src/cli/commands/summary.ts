// `vmtel summary`: what an episode recorded, read back from its run dir, also while it runs.
import type { Argv, CommandModule } from 'yargs';
import { EXIT_CODES, VmtelError } from '../../errors';

interface SummaryArgs {
  dir: string | undefined;
  'run-dir': string | undefined;
  json: boolean;
}

export const summaryCommand: CommandModule<object, SummaryArgs> = {
  command: 'summary [dir]',
  describe: "Summarise an episode: its span and each process's part, rows and drops per source, events",
  builder: (yargs: Argv) =>
    yargs
      .positional('dir', { type: 'string', normalize: true, describe: "The episode's run dir" })
      .option('run-dir', { type: 'string', requiresArg: true, normalize: true, describe: 'The run dir, as an option' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the summary as one JSON object' })
      .check((argv) => {
        if ((argv.dir === undefined) === (argv['run-dir'] === undefined)) {
          throw new VmtelError('VMTEL_USAGE', 'name the run dir once: vmtel summary DIR (or --run-dir DIR)');
        }
        return true;
      })
      .example('$0 summary runs/vm1/ep001', 'what the episode recorded and lost, and when')
      .example('$0 summary runs/vm1/ep001 --json | jq .sources', 'the same as JSON'),
  handler: async (argv) => {
    // Loaded here, not at the top: `vmtel run` loads this file too and must start fast.
    const { summarizeEpisode } = await import('../../summary/episode-summary.js');
    const { renderSummary } = await import('../../report/run-dir-summary.js');
    const runDir = (argv.dir ?? argv['run-dir'])!;
    const summary = summarizeEpisode(runDir);
    if (argv.json) {
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      return;
    }
    process.stdout.write(renderSummary(summary));
    // The verdict of `vmtel report`, on a line of its own.
    const { runDirVerdictLine } = await import('../../report/verdict-line.js');
    process.stdout.write(`${await runDirVerdictLine(runDir)}\n`);
    process.exitCode = EXIT_CODES.ok;
  },
};
