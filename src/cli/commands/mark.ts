// `vmtel mark`: puts a marker (a moment, or with --phase the start of a phase) on the timeline of
// the episode recording in a run dir, stamped by vmtel as the request arrives. For experiment
// drivers: `vmtel mark --run-dir DIR --phase attack --label sample=wannacry`.
import type { Argv, CommandModule } from 'yargs';
import { EXIT_CODES, VmtelError } from '../../errors';
import { withRunDirOption } from '../common-args';
import { labelsProblems, markerNameProblem, type Labels } from '../../live/labels';

interface MarkArgs {
  'run-dir': string;
  name: string;
  phase: boolean;
  label: string[] | undefined;
}

export const markCommand: CommandModule<object, MarkArgs> = {
  command: 'mark <name>',
  describe: 'Mark a moment (or with --phase, the start of a phase) on the timeline of the episode recording in a run dir',
  builder: (yargs: Argv) =>
    withRunDirOption(yargs, "The recording episode's run dir")
      .positional('name', { type: 'string', demandOption: true, describe: "The marker's name, e.g. attack or cleanup" })
      .option('phase', { type: 'boolean', default: false, describe: 'A phase named NAME starts now and lasts until the next phase marker or the end' })
      .option('label', { type: 'string', array: true, describe: 'A label of this marker, KEY=VALUE (repeatable; values are strings)' })
      .example('$0 mark --run-dir runs/vm1/ep001 --phase attack --label sample=wannacry', 'the attack phase starts now')
      .example('$0 mark --run-dir runs/vm1/ep001 dropper-written', 'a moment, not a phase')
      .epilogue('Prints the stamp. Exit 4 when no vmtel is recording in the run dir. See docs/control.md.'),
  handler: async (argv) => {
    const nameProblem = markerNameProblem(argv.name);
    if (nameProblem !== null) throw new VmtelError('VMTEL_USAGE', `NAME: ${nameProblem}`);
    const labels = parseLabelArguments(argv.label ?? []);
    // Loaded here, not at the top: `vmtel run` loads this file too and must start fast.
    const { requestControl } = await import('../../live/control-client.js');
    const { isoOf } = await import('../../orchestrator/manifest.js');
    const reply = await requestControl(argv['run-dir'], { op: 'mark', name: argv.name, phase: argv.phase, labels, client_monotonic_ns: process.hrtime.bigint() });
    const tMonoNs = BigInt(reply['t_mono_ns'] as number | bigint);
    const clientTMonoNs = reply['client_t_mono_ns'] === null ? null : BigInt(reply['client_t_mono_ns'] as number | bigint);
    const latency = clientTMonoNs === null ? '' : ` (${(Number(tMonoNs - clientTMonoNs) / 1e6).toFixed(3)} ms after sending)`;
    process.stdout.write(
      `marked ${argv.phase ? 'phase ' : ''}${argv.name} at t_mono_ns=${tMonoNs} t_wall_ns=${String(reply['t_wall_ns'])} (${isoOf(BigInt(reply['t_wall_ns'] as number | bigint))})${latency}\n`,
    );
    process.exitCode = EXIT_CODES.ok;
  },
};

/** `KEY=VALUE` arguments as labels, checked by the same rules as everywhere else. */
function parseLabelArguments(pairs: readonly string[]): Labels {
  const labels: Labels = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new VmtelError('VMTEL_USAGE', `--label: expected KEY=VALUE, got ${JSON.stringify(pair)}`);
    const key = pair.slice(0, at);
    if (Object.hasOwn(labels, key)) throw new VmtelError('VMTEL_USAGE', `--label: ${key} is given twice`);
    labels[key] = pair.slice(at + 1);
  }
  const problem = labelsProblems(labels)[0];
  if (problem !== undefined) throw new VmtelError('VMTEL_USAGE', `--label: ${problem[1]}`);
  return labels;
}
