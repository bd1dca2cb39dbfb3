// The bodies of `vmtel ship` and `vmtel archive`, bundled apart from the CLI (dist/bundle/
// fleet-cli.js) and loaded only when one of them runs (load-fleet-cli.ts): every other command,
// `vmtel run` first, starts without reading this code. src/cli/ keeps the yargs wiring.
import type { ShipAuth } from '../config/ship-config';
import { loadConfig } from '../config/load-config';
import { VmtelError } from '../errors';
import { readManifest } from '../orchestrator/manifest';
import { RunDirLock } from '../orchestrator/run-dir-lock';
import { checkArchive } from './archive/archive-check';
import { runArchive } from './archive/archive-consumer';
import { openNats } from './nats-client';
import { shipSetupOf } from './ship-files';
import { PASSWORD_VARIABLE, type ArchiveArgs, type ShipArgs } from './fleet-cli-args';
import { Shipper } from './shipper';

/** `vmtel ship`: ships a finished run dir's remainder from its checkpoint. */
export async function shipRunDir(argv: ShipArgs): Promise<void> {
  const runDir = argv['run-dir'];
  const manifest = readManifest(runDir);
  if (manifest === null) throw new VmtelError('VMTEL_USAGE', `${runDir} holds no episode.json: not a run dir`);
  const config = await loadConfig(argv.config ?? manifest.config_path, { runDir });
  if (config.ship === undefined) throw new VmtelError('VMTEL_USAGE', `${config.configPath} has no ship: section; nothing says where to ship`);
  const recordedRunDir = typeof manifest.config['run_dir'] === 'string' ? manifest.config['run_dir'] : runDir;
  const outputPaths = Object.values(manifest.collectors).filter((c) => c.enabled).map((c) => c.output);
  const { setup } = shipSetupOf(runDir, { runDir: recordedRunDir, vm: manifest.vm, episode: manifest.episode, outputPaths }, config.ship);
  // A live vmtel run ships this dir itself; two shippers of one dir would only race.
  const lock = RunDirLock.acquire(runDir);
  const say = (line: string): void => void process.stderr.write(`vmtel ship: ${line}\n`);
  const shipper = new Shipper(setup, {
    event: (event, fields) => say(`${event} ${JSON.stringify(fields)}`),
    log: (level, message) => level !== 'debug' && say(message),
  });
  try {
    const deadlineMs = argv.timeout === undefined ? Number.POSITIVE_INFINITY : Date.now() + argv.timeout * 1000;
    const complete = await shipper.shipAll(deadlineMs, true);
    const left = shipper.unshipped();
    if (!complete || Object.keys(left).length > 0) {
      throw new VmtelError('VMTEL_SHIP_INCOMPLETE', `${runDir}: not yet acknowledged: ${JSON.stringify(left)}; run vmtel ship again`);
    }
    process.stdout.write(`shipped ${runDir}: every file acknowledged by stream ${config.ship.stream}\n`);
  } finally {
    await shipper.close();
    lock.release();
  }
}

/** `vmtel archive`: archives continuously, until caught up (--once), or checks (--check). */
export async function archive(argv: ArchiveArgs): Promise<void> {
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
}
