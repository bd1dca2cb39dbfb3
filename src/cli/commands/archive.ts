// `vmtel archive`: the central side of the fleet. It rebuilds every run dir shipped to the stream
// under --into, restartable at any moment (docs/fleet.md), or with --check lists what the stream
// says was sent and the archive does not hold.
import type { Argv, CommandModule } from 'yargs';
import type { ShipAuth } from '../../config/ship-config';
import { SHIP_DEFAULTS, SUBJECT_PREFIX_PATTERN } from '../../config/ship-keys';
import { VmtelError } from '../../errors';
import { checkArchive } from '../../fleet/archive/archive-check';
import { runArchive } from '../../fleet/archive/archive-consumer';
import { openNats } from '../../fleet/nats-client';

interface ArchiveArgs {
  servers: string;
  into: string;
  stream: string;
  'subject-prefix': string;
  durable: string;
  once: boolean;
  check: boolean;
  credentials: string | undefined;
  user: string | undefined;
  'tls-ca': string | undefined;
}

// The password of --user comes from the environment, never the command line (ps shows that).
const PASSWORD_VARIABLE = 'VMTEL_NATS_PASSWORD';

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
  handler: async (argv) => {
    const auth: ShipAuth =
      argv.credentials !== undefined
        ? { kind: 'credentials', file: argv.credentials }
        : argv.user !== undefined
          ? { kind: 'user', user: argv.user, password: process.env[PASSWORD_VARIABLE] ?? '' }
          : { kind: 'none' };
    const session = await openNats({
      servers: argv.servers.split(',').map((s) => s.trim()),
      auth,
      tls: argv['tls-ca'] === undefined ? null : { caFile: argv['tls-ca'] },
      clientName: `vmtel archive ${argv.durable}`,
    });
    const say = (line: string): void => void process.stderr.write(`vmtel archive: ${line}\n`);
    try {
      if (argv.check) {
        const result = await checkArchive(session, argv.stream, argv['subject-prefix'], argv.into);
        for (const line of result.missing) process.stdout.write(`missing ${line}\n`);
        if (result.missing.length > 0) throw new VmtelError('VMTEL_ARCHIVE_INCOMPLETE', `${result.missing.length} of ${result.files} files incomplete in ${argv.into}`);
        process.stdout.write(`complete: ${result.files} files in ${argv.into} match stream ${argv.stream}\n`);
        return;
      }
      const stop = new AbortController();
      const onSignal = (): void => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const counts = await runArchive(session, {
        stream: argv.stream,
        subjectPrefix: argv['subject-prefix'],
        durable: argv.durable,
        intoDir: argv.into,
        once: argv.once,
        signal: stop.signal,
        say,
      });
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.stdout.write(`archived into ${argv.into}: ${counts.written} chunks written, ${counts.had} already held, ${counts.gap} gaps waited on, ${counts.bad} bad\n`);
    } finally {
      await session.nc.close();
    }
  },
};
