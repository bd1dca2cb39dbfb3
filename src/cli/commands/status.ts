// `vmtel status`: the episode recording in a run dir, live from its process (every figure at most
// about a second old), or from its manifest when nothing records there.
import type { Argv, CommandModule } from 'yargs';
import { EXIT_CODES } from '../../errors';
import { withRunDirOption } from '../common-args';
import { abortedBySignals } from '../stop-signal';

interface StatusArgs {
  'run-dir': string;
  json: boolean;
  watch: boolean;
}

export const statusCommand: CommandModule<object, StatusArgs> = {
  command: 'status',
  describe: 'Show the episode recording in a run dir: per collector state, rows, rows/s, drops; markers and phase',
  builder: (yargs: Argv) =>
    withRunDirOption(yargs, "The episode's run dir")
      .option('json', { type: 'boolean', default: false, describe: 'One JSON object (per second with --watch) for scripts' })
      .option('watch', { type: 'boolean', default: false, describe: 'Redraw once a second until Ctrl-C' })
      .example('$0 status --run-dir runs/vm1/ep001 --watch', 'the episode live, redrawn in place')
      .example('$0 status --run-dir runs/vm1/ep001 --json', 'one object for a script'),
  handler: async (argv) => {
    // Loaded here, not at the top: `vmtel run` loads this file too and must start fast.
    const { statusFrame, watchStatus } = await import('../../live/status-frames.js');
    if (!argv.watch) {
      process.stdout.write(await statusFrame(argv['run-dir'], argv.json));
    } else {
      const output = { write: (text: string) => process.stdout.write(text), isTTY: process.stdout.isTTY === true };
      await watchStatus(argv['run-dir'], argv.json, output, abortedBySignals());
    }
    process.exitCode = EXIT_CODES.ok;
  },
};
