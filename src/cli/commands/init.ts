// `vmtel init`: a commented starting config for a new VM, valid as written, so a first episode
// starts from a file rather than from the docs.
import { writeFileSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { TOP_LEVEL_SCHEMA } from '../../config/config-keys';
import { starterConfig } from '../../config/starter-config';
import { EXIT_CODES, VmtelError } from '../../errors';

interface InitArgs {
  vm: string;
  out: string | undefined;
  force: boolean;
}

export const initCommand: CommandModule<object, InitArgs> = {
  command: 'init',
  describe: 'Write a commented starting config for a VM',
  builder: (yargs: Argv) =>
    yargs
      .option('vm', { type: 'string', default: 'vm1', requiresArg: true, describe: 'The VM\'s name (names the pm2 app and the run dir)' })
      .option('out', { type: 'string', requiresArg: true, normalize: true, describe: 'Write to FILE instead of stdout (never over an existing file)' })
      .option('force', { type: 'boolean', default: false, describe: 'With --out: replace an existing file' })
      .check((argv) => {
        const { pattern, patternDoc } = TOP_LEVEL_SCHEMA.vm;
        if (!pattern.test(argv.vm)) throw new VmtelError('VMTEL_USAGE', `--vm: expected ${patternDoc}, got "${argv.vm}"`);
        return true;
      })
      .example('$0 init --vm vm1 --out config/vm1.yaml', 'a config for vm1, then: vmtel check --config config/vm1.yaml'),
  handler: (argv) => {
    const text = starterConfig(argv.vm);
    if (argv.out === undefined) {
      process.stdout.write(text);
    } else {
      try {
        // 'wx': an existing config is someone's work; --force says replacing it is meant.
        writeFileSync(argv.out, text, { flag: argv.force ? 'w' : 'wx' });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const hint = code === 'EEXIST' ? ' (it exists; --force replaces it)' : '';
        throw new VmtelError('VMTEL_USAGE', `--out: cannot write ${argv.out}: ${code ?? (err as Error).message}${hint}`, { cause: err });
      }
      process.stderr.write(`vmtel: wrote ${argv.out}; next: vmtel check --config ${argv.out}\n`);
    }
    process.exitCode = EXIT_CODES.ok;
  },
};
