// `vmtel sim`: a process that plays QEMU in a run dir (qemu.pid, agent.sock, qmp.sock) so vmtel
// can be demonstrated and tested end to end without KVM, faults included. See docs/simulated-vm.md.
import type { Argv, CommandModule } from 'yargs';
import { EXIT_CODES, VmtelError } from '../../errors';
import { parseScript } from '../../sim/sim-cue';

// QEMU's own limit on vCPUs per machine is far higher; 64 threads are plenty for a stand-in.
const MAX_VCPUS = 64;

interface SimArgs {
  'run-dir': string;
  script: string | undefined;
  'agent-rate': number;
  'drift-ppm': number;
  vcpus: number;
}

// Lines stay under 80 columns: yargs wraps longer epilogue lines and breaks the table.
const CUES_HELP = `Cues: in --script as TIME:CUE,TIME:CUE...; or one per line on stdin.
  agent-silence[=DUR]     no agent rows, for DUR or until agent-resume
  agent-resume            agent rows again
  agent-malformed[=N]     N malformed lines (default 3) between the rows
  agent-disconnect[=DUR]  agent.sock goes away, back after DUR (default 1s)
  qmp-close               QEMU closes the QMP connection (the socket stays)
  qmp-stop, qmp-cont      STOP / RESUME; a paused guest's agent is silent
  qmp-event=NAME          QEMU sends event NAME (RESET, BLOCK_IO_ERROR, ...)
  shutdown                POWERDOWN, SHUTDOWN, then exit 0
DUR is like 500ms or 2s. stdout: one JSON line per ready, cue, error, exit.`;

export const simCommand: CommandModule<object, SimArgs> = {
  command: 'sim',
  describe: 'Play a QEMU VM in a run dir (qemu.pid, agent.sock, qmp.sock) for demos and tests',
  builder: (yargs: Argv) =>
    yargs
      .option('run-dir', { type: 'string', demandOption: true, normalize: true, describe: 'Where the sockets and pid file go' })
      .option('script', { type: 'string', describe: 'A timeline of cues, e.g. "3s:agent-silence=2s,5s:qmp-stop,9s:shutdown"' })
      .option('agent-rate', { type: 'number', default: 10, describe: 'Agent rows per second' })
      .option('drift-ppm', { type: 'number', default: 0, describe: "The guest clock's drift against the host, in ppm" })
      .option('vcpus', { type: 'number', default: 2, describe: 'vCPUs reported by query-cpus-fast' })
      .check((argv) => {
        if (!(argv['agent-rate'] > 0)) throw usage(`--agent-rate: expected a positive number of rows per second, got ${argv['agent-rate']}`);
        if (!Number.isFinite(argv['drift-ppm'])) throw usage(`--drift-ppm: expected a number, got ${argv['drift-ppm']}`);
        if (!Number.isInteger(argv.vcpus) || argv.vcpus < 1 || argv.vcpus > MAX_VCPUS) {
          throw usage(`--vcpus: expected an integer from 1 to ${MAX_VCPUS}, got ${argv.vcpus}`);
        }
        parseScript(argv.script ?? '');
        return true;
      })
      .example('$0 sim --run-dir /tmp/vm1', 'serve until SIGTERM; cue faults by typing them, e.g. qmp-stop')
      .example('$0 sim --run-dir /tmp/vm1 --script "3s:agent-silence=2s,5s:qmp-stop,6s:qmp-cont,9s:shutdown"', 'a scripted episode')
      .example('$0 sim --run-dir /tmp/vm1 --drift-ppm 50 --agent-rate 100', 'a fast agent whose clock runs 50 ppm fast')
      .epilogue(CUES_HELP),
  handler: async (argv) => {
    // Loaded here, not at the top: `vmtel run` loads this file too and must start fast.
    const { runSimulatedVm } = await import('../../sim/run-sim.js');
    await runSimulatedVm({
      runDir: argv['run-dir'],
      script: parseScript(argv.script ?? ''),
      agentRatePerSec: argv['agent-rate'],
      driftPpm: argv['drift-ppm'],
      vcpus: argv.vcpus,
    });
    process.exitCode = EXIT_CODES.ok;
  },
};

function usage(message: string): VmtelError {
  return new VmtelError('VMTEL_USAGE', message);
}
