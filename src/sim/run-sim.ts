// The simulated VM as a process, `vmtel sim`: cues from a --script timeline and from stdin lines,
// one JSON line on stdout per thing that happened (ready, cue, error, exit) so a test or a demo
// script can follow it, and a clean exit on SIGTERM/SIGINT or after SHUTDOWN, sockets and pid
// file removed, as QEMU run with -no-reboot exits after its guest powers off.
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { parseCue, type ScriptStep, type SimCue } from './sim-cue';
import { SIM_FILES, SimulatedVm, type SimulatedVmOptions } from './simulated-vm';

export interface SimRunOptions extends Omit<SimulatedVmOptions, 'onError'> {
  script: readonly ScriptStep[];
}

export interface SimIo {
  stdin: Readable;
  stdout: Writable;
}

/** Runs the simulated VM until SHUTDOWN or a signal; resolves with `shutdown`, `SIGTERM` or `SIGINT`. */
export async function runSimulatedVm(options: SimRunOptions, io: SimIo = process): Promise<string> {
  const say = (fields: Record<string, unknown>): void => void io.stdout.write(`${JSON.stringify(fields)}\n`);
  const vm = await SimulatedVm.start({ ...options, onError: (err) => say({ sim: 'error', error: err.message }) });
  const perform = (cue: SimCue, text: string): void => {
    vm.apply(cue).then(
      () => say({ sim: 'cue', cue: text }),
      (err: Error) => say({ sim: 'error', cue: text, error: err.message }),
    );
  };
  const timers = options.script.map((step) => setTimeout(() => perform(step.cue, step.text), step.atMs));
  const lines = createInterface({ input: io.stdin });
  lines.on('line', (line) => {
    if (line.trim() === '') return;
    try {
      perform(parseCue(line), line.trim());
    } catch (err) {
      say({ sim: 'error', cue: line.trim(), error: (err as Error).message });
    }
  });
  const stopSignals = new AbortController();
  say({
    sim: 'ready',
    pid: process.pid,
    agent_socket: join(options.runDir, SIM_FILES.agentSocket),
    qmp_socket: join(options.runDir, SIM_FILES.qmpSocket),
    pid_file: join(options.runDir, SIM_FILES.pid),
  });
  const reason = await Promise.race([
    vm.shutDown.then(() => 'shutdown'),
    ...(['SIGTERM', 'SIGINT'] as const).map((signal) =>
      once(process, signal, { signal: stopSignals.signal }).then(() => signal, () => signal),
    ),
  ]);
  stopSignals.abort();
  for (const timer of timers) clearTimeout(timer);
  lines.close();
  await vm.close();
  say({ sim: 'exit', reason });
  return reason;
}
