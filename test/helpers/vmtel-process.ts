// Runs the real `vmtel` CLI as a child process, the way pm2 or a user would, and collects its
// output. Every process started here is killed when the test ends, whatever happens.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { withDeadline } from './wait-for';
import { CLI_SCRIPT } from '../../src/pm2/pm2-app';

// The CLI as it ships (the bundle), from dist/test/helpers.
export const CLI = join(__dirname, '..', '..', '..', CLI_SCRIPT);

export interface VmtelProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>;
}

export function startVmtel(t: Pick<TestContext, 'after'>, args: string[], env: NodeJS.ProcessEnv = {}): VmtelProcess {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Runs `vmtel args…` to its end and returns its exit code and output. */
export async function runVmtel(
  t: Pick<TestContext, 'after'>,
  args: string[],
  timeoutMs = 20_000,
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const run = startVmtel(t, args, env);
  const code = await withDeadline(`vmtel ${args.join(' ')} to exit`, run.exited, timeoutMs);
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}
