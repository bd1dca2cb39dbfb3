// `vmtel run`: records one episode of one VM as its config says, until a signal, --duration or
// the VM ends it. pm2 starts exactly this command.
import type { Argv, CommandModule } from 'yargs';
import { loadConfig } from '../../config/load-config';
import { EXIT_CODES, VmtelError } from '../../errors';
import { closeLogger } from '../../log/close-logger';
import { createHeldLogger } from '../../log/held-logger';
import { runEpisode } from '../../orchestrator/episode';
import { RUN_DIR_LOST } from '../../orchestrator/write-fault-events';
import { LOG_LEVELS } from '../../collectors/contract';
import { withConfigOption } from '../common-args';

interface RunArgs {
  config: string;
  'run-dir': string | undefined;
  duration: number | undefined;
  'log-level': (typeof LOG_LEVELS)[number] | undefined;
  'done-exit-code': number;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run',
  describe: 'Record one episode of one VM',
  builder: (yargs: Argv) =>
    withConfigOption(yargs)
      .option('run-dir', { type: 'string', describe: "Where the episode's files go (overrides run_dir)" })
      .option('duration', { type: 'number', describe: 'Stop after this many seconds' })
      .option('log-level', { choices: LOG_LEVELS, describe: 'Terminal log level (overrides log_level)' })
      .option('done-exit-code', {
        type: 'number',
        default: EXIT_CODES.ok,
        describe: `Exit code when the episode ended normally (pm2's app uses ${EXIT_CODES.doneUnderPm2}; see docs/pm2.md)`,
      })
      .check((argv) => {
        if (argv.duration !== undefined && !(argv.duration > 0)) throw new Error(`--duration: expected a positive number of seconds, got ${argv.duration}`);
        const done = argv['done-exit-code'];
        const reserved: number[] = [EXIT_CODES.runtime, EXIT_CODES.config, EXIT_CODES.runDirLost];
        if (!Number.isInteger(done) || done < 0 || done > 255 || reserved.includes(done)) {
          throw new Error(`--done-exit-code: expected an integer 0..255 other than ${reserved.join(', ')}, got ${done}`);
        }
        return true;
      })
      .example('$0 run --config config/vm1.yaml', 'record until SIGINT/SIGTERM or the VM shuts down')
      .example('$0 run --config config/vm1.yaml --duration 60 --run-dir /tmp/ep1', 'record 60 s into /tmp/ep1'),
  handler: async (argv) => {
    const config = await loadConfig(argv.config, {
      ...(argv['run-dir'] === undefined ? {} : { runDir: argv['run-dir'] }),
      ...(argv['log-level'] === undefined ? {} : { logLevel: argv['log-level'] }),
    });
    // Lines are held while the collectors start (see held-logger.ts). Nothing reaches the run
    // dir's vmtel.log before the run dir is known to be this episode's: a refused start (busy,
    // another episode's, unsafe) writes nothing into it and says why in one line on the terminal.
    const { logger, release } = createHeldLogger({ level: config.logLevel, runDir: config.runDir, fileMode: config.fileMode });
    let runDirTaken = false;
    try {
      const summary = await runEpisode(config, {
        logger,
        handleSignals: true,
        onStarted: release,
        onRunDirTaken: () => (runDirTaken = true),
        ...(argv.duration === undefined ? {} : { durationS: argv.duration }),
      });
      const rows = Object.entries(summary.collectors)
        .map(([name, c]) => `${name}=${c.rows}`)
        .join(' ');
      logger.info(`episode stopped (${summary.reason}) after ${summary.durationS.toFixed(1)} s; rows ${rows}`);
      if (summary.reason === RUN_DIR_LOST) {
        throw new VmtelError('VMTEL_RUN_DIR_LOST', `run directory ${config.runDir} was removed or became read-only while recording; the episode was stopped (rows ${rows})`);
      }
      process.exitCode = argv['done-exit-code'];
    } catch (err) {
      // The stack goes to the log file only (debug is below the terminal's level unless asked).
      if (runDirTaken && !(err instanceof VmtelError)) logger.debug(err instanceof Error ? (err.stack ?? err.message) : String(err));
      throw err;
    } finally {
      if (runDirTaken) await closeLogger(logger);
    }
  },
};
