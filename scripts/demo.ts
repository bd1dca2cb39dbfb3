// `npm run demo`: the whole pipeline on a machine with nothing but Node. It starts the simulated
// VM (`vmtel sim`) with a few scripted faults, records a ~10 s episode of it with all five
// collectors (`vmtel run --config config/demo.yaml`), prints what was recorded, and ends by
// writing the episode's report (`vmtel report`) and printing its path.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { summarizeRunDir } from '../src/report/run-dir-summary';
import { CLI_SCRIPT } from '../src/pm2/pm2-app';
import { REPORT_FILE } from '../src/run-dir-files';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, CLI_SCRIPT);
const EPISODE_S = 10;
// Faults a researcher will meet for real, each visible in the summary's drops and events. They
// are announced before the episode starts: the warnings they cause are the demo working.
const FAULTS = [
  { at: '2s', cue: 'agent-malformed=3', what: 'the guest sends 3 malformed lines', why: 'dropped, counted as malformed_json, warned about once' },
  { at: '4s', cue: 'qmp-stop', what: 'the VM is paused', why: 'a QMP STOP event; the paused guest agent goes quiet' },
  { at: '5s', cue: 'qmp-cont', what: 'the VM resumes', why: 'a QMP RESUME event; rows flow again' },
  { at: '6s', cue: 'agent-silence=3s', what: 'the guest agent stops writing for 3 s', why: 'a guest_agent_stalled warning and event' },
];
const SIM_SCRIPT = FAULTS.map((fault) => `${fault.at}:${fault.cue}`).join(',');

async function main(): Promise<void> {
  // VMTEL_DEMO_RUN_DIR lets a test keep the demo's files in its own temp dir.
  const runDir = process.env['VMTEL_DEMO_RUN_DIR'] ?? join(ROOT, 'runs', `demo-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  process.stdout.write(`vmtel demo: a simulated VM and a ${EPISODE_S} s episode in ${runDir}\n\n`);
  process.stdout.write('Faults injected on purpose, to show how vmtel records them (the warnings below are expected):\n');
  for (const fault of FAULTS) process.stdout.write(`  at ${fault.at.padEnd(3)} ${fault.what}: ${fault.why}\n`);
  process.stdout.write('\n');

  const sim = spawn(process.execPath, [CLI, 'sim', '--run-dir', runDir, '--script', SIM_SCRIPT, '--agent-rate', '20'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const simExited = once(sim, 'exit');
  try {
    await simReady(sim.stdout);
    const run = spawn(process.execPath, [CLI, 'run', '--config', join(ROOT, 'config', 'demo.yaml'), '--run-dir', runDir, '--duration', String(EPISODE_S)], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, VMTEL_DEMO_EPISODE: process.env['VMTEL_DEMO_EPISODE'] ?? 'demo' },
    });
    const [code] = (await once(run, 'exit')) as [number | null];
    if (code !== 0) throw new Error(`vmtel run exited with ${code}`);
  } finally {
    sim.kill('SIGTERM');
    await simExited;
  }
  process.stdout.write(`\n${summarizeRunDir(runDir)}`);
  // The faults above show in the report's verdict, each with its cause.
  process.stdout.write(`\n$ vmtel report ${runDir}\n`);
  const report = spawn(process.execPath, [CLI, 'report', runDir], { stdio: ['ignore', 'inherit', 'inherit'] });
  const [reportCode] = (await once(report, 'exit')) as [number | null];
  if (reportCode !== 0) throw new Error(`vmtel report exited with ${reportCode}`);
  process.stdout.write(`\nreport: ${join(runDir, REPORT_FILE)} (open it in a browser)\n`);
}

// The simulator says `{"sim":"ready",...}` on stdout once its sockets listen and its pid file is written.
async function simReady(stdout: NodeJS.ReadableStream): Promise<void> {
  for await (const line of createInterface({ input: stdout })) {
    if ((JSON.parse(line) as { sim?: string }).sim === 'ready') return;
  }
  throw new Error('the simulated VM ended before it was ready');
}

main().catch((err: unknown) => {
  process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
