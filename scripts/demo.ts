// `npm run demo`: the whole pipeline on a machine with nothing but Node. It starts the simulated
// VM (`vmtel sim`) with a few scripted faults, records a ~10 s episode of it with all five
// collectors (`vmtel run --config config/demo.yaml`), and prints what was recorded.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { summarizeRunDir } from '../src/report/run-dir-summary';
import { CLI_SCRIPT } from '../src/pm2/pm2-app';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, CLI_SCRIPT);
const EPISODE_S = 10;
// Faults a researcher will meet for real: a burst of garbage from the guest, the VM paused and
// resumed, the agent going quiet. Each is visible in the summary's drops and events.
const SIM_SCRIPT = '2s:agent-malformed=3,4s:qmp-stop,5s:qmp-cont,6s:agent-silence=3s';

async function main(): Promise<void> {
  // VMTEL_DEMO_RUN_DIR lets a test keep the demo's files in its own temp dir.
  const runDir = process.env['VMTEL_DEMO_RUN_DIR'] ?? join(ROOT, 'runs', `demo-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  process.stdout.write(`vmtel demo: a simulated VM and a ${EPISODE_S} s episode in ${runDir}\n\n`);

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
