// `vmtel check`: everything `validate` checks, then the environment an episode needs, as Vector's
// `validate` checks its sources and sinks: one line per check, fine or what is wrong and what to
// do. `--once` also takes one sample of every source and prints it, writing nothing.
import type { Argv, CommandModule } from 'yargs';
import { loadConfig } from '../../config/load-config';
import { EXIT_CODES, VmtelError } from '../../errors';
import { withConfigOption } from '../common-args';

// Long enough for a 1 s sampling tick and a QEMU that answers slowly; short enough to wait for.
const DEFAULT_ONCE_TIMEOUT_S = 10;

interface CheckArgs {
  config: string;
  once: boolean;
  'once-timeout': number;
}

export const checkCommand: CommandModule<object, CheckArgs> = {
  command: 'check',
  describe: 'Validate a config, then check the environment: sockets, QMP greeting, pid file, interface, run dir, host files',
  builder: (yargs: Argv) =>
    withConfigOption(yargs)
      .option('once', { type: 'boolean', default: false, describe: 'Also take one sample of every source and print it (nothing is written)' })
      .option('once-timeout', { type: 'number', default: DEFAULT_ONCE_TIMEOUT_S, requiresArg: true, describe: 'Seconds --once waits for each source' })
      .check((argv) => {
        const timeoutS = argv['once-timeout'];
        if (!(timeoutS > 0 && timeoutS <= 600)) throw new VmtelError('VMTEL_USAGE', `--once-timeout: expected a positive number of seconds, at most 600, got ${timeoutS}`);
        return true;
      })
      .example('$0 check --config config/vm1.yaml', 'is everything in place for an episode?')
      .example('$0 check --config config/vm1.yaml --once', 'and what would each source record?')
      .epilogue(`Exit codes: ${EXIT_CODES.ok} every check passed, ${EXIT_CODES.runtime} a check failed (VMTEL_CHECK_FAILED), ${EXIT_CODES.config} a bad config or arguments.`),
  handler: async (argv) => {
    const config = await loadConfig(argv.config);
    // Loaded here, not at the top: `vmtel run` loads this file too and must start fast.
    const { checkEnvironment } = await import('../../check/check-environment.js');
    const failed = await checkEnvironment(config, argv.once ? argv['once-timeout'] * 1000 : null, (text) => process.stdout.write(text));
    if (failed.length > 0) throw new VmtelError('VMTEL_CHECK_FAILED', `${failed.length} check(s) failed: ${failed.join(', ')}`);
    process.exitCode = EXIT_CODES.ok;
  },
};
