// `vmtel archive`: the central side of the fleet. It rebuilds every run dir shipped to the stream
// under --into, restartable at any moment (docs/fleet.md), or with --check lists what the stream
// says was sent and the archive does not hold.
import type { Argv, CommandModule } from 'yargs';
import { SHIP_DEFAULTS, SUBJECT_PREFIX_PATTERN } from '../../config/ship-keys';
import { PASSWORD_VARIABLE, type ArchiveArgs } from '../../fleet/fleet-cli-args';
import { loadFleetCli } from '../../fleet/load-fleet-cli';

export const archiveCommand: CommandModule<object, ArchiveArgs> = {
  command: 'archive',
  describe: 'Rebuild shipped run dirs from the stream into a folder (the fleet archive)',
  builder: (yargs: Argv) =>
    yargs
      .option('servers', { type: 'string', demandOption: true, describe: 'NATS server URLs, comma-separated' })
      .option('into', { type: 'string', demandOption: true, normalize: true, describe: 'Folder of the archive: DIR/<vm>/<episode>/<file>' })
      .option('stream', { type: 'string', default: SHIP_DEFAULTS.stream, describe: 'The stream the hosts ship to' })
      .option('subject-prefix', { type: 'string', default: SHIP_DEFAULTS.subjectPrefix, describe: "The hosts' subject_prefix (or a common head of theirs)" })
      .option('durable', { type: 'string', default: 'vmtel-archive', describe: 'Durable consumer name: one per archive copy' })
      .option('once', { type: 'boolean', default: false, describe: 'Exit once caught up with the stream' })
      .option('check', { type: 'boolean', default: false, describe: 'List what the stream says was sent and the archive lacks; write nothing' })
      .option('credentials', { type: 'string', normalize: true, describe: 'NATS .creds file' })
      .option('user', { type: 'string', describe: `NATS user; the password is read from ${PASSWORD_VARIABLE}` })
      .option('tls-ca', { type: 'string', normalize: true, describe: 'CA certificate (PEM) for tls:// servers' })
      .check((argv) => {
        if (!SUBJECT_PREFIX_PATTERN.test(argv['subject-prefix'])) throw new Error(`--subject-prefix: expected dot-separated tokens of letters, digits, '_' and '-', got "${argv['subject-prefix']}"`);
        if (argv.user !== undefined && process.env[PASSWORD_VARIABLE] === undefined) throw new Error(`--user: expected ${PASSWORD_VARIABLE} to hold the password, got it unset`);
        return true;
      })
      .example('$0 archive --servers nats://central:4222 --into /srv/episodes', 'archive every episode as it is shipped')
      .example('$0 archive --servers nats://central:4222 --into /srv/episodes --check', 'list anything missing'),
  handler: (argv) => loadFleetCli().archive(argv),
};
