// `vmtel summary`: what an episode recorded, read back from its run dir.
import type { Argv, CommandModule } from 'yargs';
import { EXIT_CODES } from '../../errors';

export const summaryCommand: CommandModule<object, { 'run-dir': string }> = {
  command: 'summary',
  describe: "Summarise a recorded episode: rows and drops per source, events by name, files",
  builder: (yargs: Argv) =>
    yargs
      .option('run-dir', { type: 'string', demandOption: true, normalize: true, describe: "The episode's run dir" })
      .example('$0 summary --run-dir runs/vm1/ep001', 'what the episode recorded and lost'),
  handler: async (argv) => {
    // Loaded here, not at the top: `vmtel run` loads this file too and must start fast.
    const { summarizeRunDir } = await import('../../report/run-dir-summary.js');
    process.stdout.write(summarizeRunDir(argv['run-dir']));
    // The verdict of `vmtel report`, on a line of its own.
    const { runDirVerdictLine } = await import('../../report/verdict-line.js');
    process.stdout.write(`${await runDirVerdictLine(argv['run-dir'])}\n`);
    process.exitCode = EXIT_CODES.ok;
  },
};
