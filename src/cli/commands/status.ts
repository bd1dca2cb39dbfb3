// `vmtel status`: the episode recording in a run dir, live from its process (every figure at most
// about a second old), or from its manifest when nothing records there.
import type { Argv, CommandModule } from 'yargs';
import { EXIT_CODES } from '../../errors';

interface StatusArgs {
  'run-dir': string;
  json: boolean;
  watch: boolean;
}

export const statusCommand: CommandModule<object, StatusArgs> = {
  command: 'status',
  describe: 'Show the episode recording in a run dir: per collector state, rows, rows/s, drops; markers and phase',
  builder: (yargs: Argv) =>
    yargs
      .option('run-dir', { type: 'string', demandOption: true, normalize: true, describe: "The episode's run dir" })
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
      const stop = new AbortController();
      const onSignal = (): void => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      await watchStatus(argv['run-dir'], argv.json, { write: (text) => process.stdout.write(text), isTTY: process.stdout.isTTY === true }, stop.signal);
    }
    process.exitCode = EXIT_CODES.ok;
  },
};
