// `vmtel run`: records one episode of one VM as its config says, until a signal, --duration or
// the VM ends it. pm2 starts exactly this command.
import type { Argv, CommandModule } from 'yargs';
import { loadConfig } from '../../config/load-config';
import { EXIT_CODES, VmtelError } from '../../errors';
import { closeLogger } from '../../log/close-logger';
import { createHeldLogger } from '../../log/held-logger';
import { runEpisode } from '../../orchestrator/episode';
import { createNewRunDir } from '../../orchestrator/new-run-dir';
import { RUN_DIR_LOST } from '../../orchestrator/write-fault-events';
import { LOG_LEVELS } from '../../collectors/contract';
import { withConfigOption } from '../common-args';
import type { Logger } from '../../log/logger';

// Node's timers hold at most 2^31 - 1 ms; a longer --duration would fire at once (Node warns
// "Timeout duration was set to 1") and end the episode after a millisecond. About 24.8 days.
export const MAX_DURATION_S = Math.floor((2 ** 31 - 1) / 1000);

interface RunArgs {
  config: string;
  'run-dir': string | undefined;
  duration: number | undefined;
  'log-level': (typeof LOG_LEVELS)[number] | undefined;
  'done-exit-code': number;
  continue: boolean;
  'new-run-dir': boolean;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run',
  describe: 'Record one episode of one VM',
  builder: (yargs: Argv) =>
    withConfigOption(yargs)
      .option('run-dir', { type: 'string', requiresArg: true, describe: "Where the episode's files go (overrides run_dir)" })
      .option('duration', { type: 'number', requiresArg: true, describe: `Stop after this many seconds (at most ${MAX_DURATION_S}, about 24.8 days)` })
      .option('log-level', { choices: LOG_LEVELS, requiresArg: true, describe: 'Terminal log level (overrides log_level)' })
      .option('continue', {
        type: 'boolean',
        default: false,
        describe: 'Record more of an episode whose run dir says it ended, on the same timeline (refused otherwise)',
      })
      .option('new-run-dir', {
        type: 'boolean',
        default: false,
        describe: 'Record into a new directory beside the run dir, named after it and the UTC time (printed first)',
      })
      .option('done-exit-code', {
        type: 'number',
        default: EXIT_CODES.ok,
        describe: `Exit code when the episode ended normally (pm2's app uses ${EXIT_CODES.doneUnderPm2}; see docs/pm2.md)`,
      })
      .check((argv) => {
        if (argv.continue && argv['new-run-dir']) throw new Error('--continue and --new-run-dir: give one or the other (a new run dir has nothing to continue)');
        const duration = argv.duration;
        if (duration !== undefined && !(duration > 0 && duration <= MAX_DURATION_S)) {
          // yargs turns text that is not a number into NaN; say so rather than "got NaN".
          const got = Number.isNaN(duration) ? 'something that is not a number' : String(duration);
          throw new Error(`--duration: expected a positive number of seconds, at most ${MAX_DURATION_S}, got ${got}`);
        }
        const done = argv['done-exit-code'];
        const reserved: number[] = [EXIT_CODES.runtime, EXIT_CODES.config, EXIT_CODES.runDirLost];
        if (!Number.isInteger(done) || done < 0 || done > 255 || reserved.includes(done)) {
          throw new Error(`--done-exit-code: expected an integer 0..255 other than ${reserved.join(', ')}, got ${done}`);
        }
        return true;
      })
      .example('$0 run --config config/vm1.yaml', 'record until SIGINT/SIGTERM or the VM shuts down')
      .example('$0 run --config config/vm1.yaml --duration 60 --run-dir /tmp/ep1', 'record 60 s into /tmp/ep1')
      .example('$0 run --config config/vm1.yaml --new-run-dir', 'a new trial in runs/vm1/ep001-<UTC time>'),
  handler: async (argv) => {
    const overrides = {
      ...(argv['run-dir'] === undefined ? {} : { runDir: argv['run-dir'] }),
      ...(argv['log-level'] === undefined ? {} : { logLevel: argv['log-level'] }),
    };
    let config = await loadConfig(argv.config, overrides);
    if (argv['new-run-dir']) {
      // Loaded again so that every path relative to the run dir (sockets, outputs) is in the new one.
      config = await loadConfig(argv.config, { ...overrides, runDir: createNewRunDir(config.runDir, config.dirMode) });
      process.stdout.write(`run_dir ${config.runDir}\n`);
    }
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
        continueFinished: argv.continue,
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
      // An episode without a single row is not a success to pass over in silence: every source
      // was missing or gave up, and the lines above say why.
      if (Object.values(summary.collectors).every((c) => c.rows === 0)) {
        logger.warn('no source recorded a single row: see the waiting and give-up lines above, or run vmtel check --config FILE');
      }
      await logVerdict(logger, config.runDir);
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
