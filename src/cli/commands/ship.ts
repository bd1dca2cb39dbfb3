// `vmtel ship --run-dir DIR`: ships what a finished run dir still holds unshipped, from its
// checkpoint on, with the ship: settings of the config that recorded it. A host cut off for a
// whole episode delivers it this way; running it on a fully shipped dir sends nothing.
import type { Argv, CommandModule } from 'yargs';
import { loadConfig } from '../../config/load-config';
import { VmtelError } from '../../errors';
import { shipSetupOf } from '../../fleet/ship-files';
import { Shipper } from '../../fleet/shipper';
import { readManifest } from '../../orchestrator/manifest';
import { RunDirLock } from '../../orchestrator/run-dir-lock';

interface ShipArgs {
  'run-dir': string;
  config: string | undefined;
  timeout: number | undefined;
}

export const shipCommand: CommandModule<object, ShipArgs> = {
  command: 'ship',
  describe: "Ship a finished run dir's unshipped remainder to the ship: stream",
  builder: (yargs: Argv) =>
    yargs
      .option('run-dir', { type: 'string', demandOption: true, normalize: true, describe: 'The run dir to ship' })
      .option('config', { alias: 'c', type: 'string', normalize: true, describe: "The VM's config (default: the one episode.json names)" })
      .option('timeout', { type: 'number', describe: 'Give up after this many seconds (default: retry until shipped)' })
      .check((argv) => {
        if (argv.timeout !== undefined && !(argv.timeout > 0)) throw new Error(`--timeout: expected a positive number of seconds, got ${argv.timeout}`);
        return true;
      })
      .example('$0 ship --run-dir runs/vm1/ep1', 'send what the stop of vm1/ep1 could not'),
  handler: async (argv) => {
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
  },
};
