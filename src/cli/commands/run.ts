// `vmtel run`: records one episode of one VM as its config says, until a signal, --duration or
// the VM ends it. pm2 starts exactly this command.
import type { Argv, CommandModule } from 'yargs';
import { loadConfig } from '../../config/load-config';
import { EXIT_CODES } from '../../errors';
import { closeLogger } from '../../log/close-logger';
import { createHeldLogger } from '../../log/held-logger';
import { runEpisode } from '../../orchestrator/episode';
import { LOG_LEVELS } from '../../collectors/contract';
import { withConfigOption } from '../common-args';
import type { Logger } from '../../log/logger';

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
        if (!Number.isInteger(done) || done < 0 || done > 255 || done === EXIT_CODES.runtime || done === EXIT_CODES.config) {
          throw new Error(`--done-exit-code: expected an integer 0..255 other than ${EXIT_CODES.runtime} and ${EXIT_CODES.config}, got ${done}`);
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
    // Lines are held while the collectors start (see held-logger.ts).
    const { logger, release } = createHeldLogger({ level: config.logLevel, runDir: config.runDir });
    try {
      const summary = await runEpisode(config, {
        logger,
        handleSignals: true,
        onStarted: release,
        ...(argv.duration === undefined ? {} : { durationS: argv.duration }),
      });
      const rows = Object.entries(summary.collectors)
        .map(([name, c]) => `${name}=${c.rows}`)
        .join(' ');
      logger.info(`episode stopped (${summary.reason}) after ${summary.durationS.toFixed(1)} s; rows ${rows}`);
      await logVerdict(logger, config.runDir);
      process.exitCode = argv['done-exit-code'];
    } catch (err) {
      logger.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
      throw err;
    } finally {
      await closeLogger(logger);
    }
  },
};

// pm2 gives a stopping vmtel stop_grace_ms + 2 s before SIGKILL (docs/pm2.md). The report reads
// about 270 MiB of rows a second on the 2-core development VM (docs/benchmarks.md): a quarter of
// that keeps the verdict well inside the margin; a larger episode is left to `vmtel report`.
const VERDICT_AT_STOP_MAX_BYTES = 64 * 2 ** 20;

// The episode's verdict, read back from what is on disk. A report that cannot be made is said in
// the log; it never turns a recorded episode into a failed run.
async function logVerdict(logger: Logger, runDir: string): Promise<void> {
  try {
    const { runDirVerdictLine } = await import('../../report/verdict-line.js');
    const line = await runDirVerdictLine(runDir, VERDICT_AT_STOP_MAX_BYTES);
    if (line.startsWith('verdict ok')) logger.info(line);
    else logger.warn(line);
  } catch (err) {
    logger.warn(`no verdict: the report failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}
