// `vmtel tap`: prints rows of the episode recording in a run dir as they are written, without
// touching the writer (it only reads the files).
import type { Argv, CommandModule } from 'yargs';
import { EXIT_CODES, VmtelError } from '../../errors';
import { withRunDirOption } from '../common-args';
import { abortedBySignals } from '../stop-signal';

interface TapArgs {
  'run-dir': string;
  source: string[] | undefined;
}

export const tapCommand: CommandModule<object, TapArgs> = {
  command: 'tap',
  describe: 'Print rows of the episode recording in a run dir as they are written',
  builder: (yargs: Argv) =>
    withRunDirOption(yargs, "The recording episode's run dir")
      .option('source', { type: 'string', array: true, describe: "Only this collector's rows (repeatable); all by default" })
      .example('$0 tap --run-dir runs/vm1/ep001 --source guest_agent', "the guest agent's rows as they arrive")
      .epilogue('Ends with the episode, or on Ctrl-C. Exit 4 when no vmtel is recording in the run dir.'),
  handler: async (argv) => {
    // Loaded here, not at the top: `vmtel run` loads this file too and must start fast.
    const { requestControl } = await import('../../live/control-client.js');
    const { readManifest } = await import('../../orchestrator/manifest.js');
    const { tapFiles } = await import('../../live/tap.js');
    const runDir = argv['run-dir'];
    // Asked first, so a run dir nobody records in is told as such rather than tapped forever.
    await requestControl(runDir, { op: 'status' });
    const collectors = Object.entries(readManifest(runDir)?.collectors ?? {}).filter(([, c]) => c.enabled);
    const wanted = argv.source ?? collectors.map(([name]) => name);
    const unknown = wanted.filter((name) => !collectors.some(([known]) => known === name));
    if (unknown.length > 0) {
      throw new VmtelError('VMTEL_USAGE', `--source: no collector ${unknown.join(', ')} in this episode; it has ${collectors.map(([name]) => name).join(', ')}`);
    }
    const paths = collectors.filter(([name]) => wanted.includes(name)).map(([, c]) => c.output);
    // Waits for each write, so a slow reader slows tap, never grows its memory.
    const write = (lines: Buffer): Promise<void> =>
      new Promise((resolve, reject) => process.stdout.write(lines, (err) => (err ? reject(err) : resolve())));
    // A reader that goes away (`vmtel tap | head`) ends tap quietly, as it ends `cat`.
    process.stdout.on('error', () => undefined);
    try {
      await tapFiles(runDir, paths, write, abortedBySignals());
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EPIPE') throw err;
    }
    process.exitCode = EXIT_CODES.ok;
  },
};
