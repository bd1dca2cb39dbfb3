// `vmtel validate`: checks a config without starting anything and prints it as vmtel would run
// it (defaults filled, paths absolute), or every problem, one line each.
import type { Argv, CommandModule } from 'yargs';
import { loadConfig } from '../../config/load-config';
import { checkRunDir } from '../../config/run-dir-check';
import { renderResolvedYaml } from '../../config/resolved-yaml';
import { EXIT_CODES } from '../../errors';
import { withConfigOption } from '../common-args';

export const validateCommand: CommandModule<object, { config: string }> = {
  command: 'validate',
  describe: 'Check a config and print it resolved, or list every problem',
  builder: (yargs: Argv) =>
    withConfigOption(yargs)
      .example('$0 validate --config config/vm1.yaml', 'print the resolved config, or every problem with its line')
      .example('$0 validate -c config/vm1.yaml > resolved.yaml', 'keep the resolved config beside the episode'),
  handler: async (argv) => {
    const config = await loadConfig(argv.config);
    // The run dir as `run` would take it, created or not: a config that cannot record fails here.
    checkRunDir(config.runDir, config.dirMode);
    process.stdout.write(renderResolvedYaml(config.resolved));
    process.exitCode = EXIT_CODES.ok;
  },
};
