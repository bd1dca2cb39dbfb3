// A real pm2 for tests: the pm2 of node_modules with a PM2_HOME of its own in a short temp dir,
// so a test never touches an operator's daemon. After the test, whatever happened, the daemon is
// killed (`pm2 kill`, then SIGKILL for anything still alive) and the home removed.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { readPidfile } from '../../src/proc/pid-file';
import { waitFor, withDeadline } from './wait-for';

/** The repository root (tests run from dist/test/…). */
export const REPO_DIR = join(__dirname, '..', '..', '..');
const PM2_BIN = join(REPO_DIR, 'node_modules', 'pm2', 'bin', 'pm2');
// A pm2 command (a node start plus one RPC to the daemon) takes about a second on a busy host;
// `pm2 kill` waits for every app to stop, up to its kill_timeout.
const COMMAND_TIMEOUT_MS = 20_000;

/** The part of a `pm2 jlist` entry the tests read. */
export interface Pm2Process {
  name: string;
  pid: number;
  pm2_env: {
    status: string;
    restart_time: number;
    unstable_restarts: number;
    exit_code?: number;
    pm_err_log_path: string;
    pm_out_log_path: string;
    kill_timeout: number;
  };
}

export interface Pm2Result {
  code: number | string;
  stdout: string;
  stderr: string;
}

export interface Pm2 {
  home: string;
  /** Runs `pm2 ARGS…` to its end; `env` is added to the test's environment. */
  run(args: string[], env?: NodeJS.ProcessEnv): Promise<Pm2Result>;
  /** `pm2 jlist`, parsed. */
  jlist(): Promise<Pm2Process[]>;
  /** Polls `pm2 jlist` until the app `name` satisfies `ready`; `what` names the state in the failure. */
  waitForApp(name: string, what: string, ready: (app: Pm2Process) => boolean, timeoutMs?: number): Promise<Pm2Process>;
}

/** A pm2 whose daemon starts with the first command and is killed after `t`. */
export function usePm2(t: Pick<TestContext, 'after'>): Pm2 {
  const home = mkdtempSync(join(tmpdir(), 'vt-pm2-'));
  // pm2 phones home on its first start in a new home unless this file exists; tests stay offline.
  writeFileSync(join(home, 'touch'), `${Date.now()}\n`);
  const appPids = new Set<number>();
  const baseEnv: NodeJS.ProcessEnv = { ...process.env, PM2_HOME: home, PM2_DISABLE_VERSION_CHECK: 'true' };
  // The apps inherit this environment; they are not part of the test runner.
  delete baseEnv['NODE_TEST_CONTEXT'];

  const run = async (args: string[], env: NodeJS.ProcessEnv = {}): Promise<Pm2Result> => {
    const child = spawn(process.execPath, [PM2_BIN, ...args], { cwd: REPO_DIR, env: { ...baseEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
    try {
      const code = await withDeadline(`pm2 ${args.join(' ')}`, exited, COMMAND_TIMEOUT_MS);
      return { code, stdout, stderr };
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  };

  const jlist = async (): Promise<Pm2Process[]> => {
    const result = await run(['jlist']);
    if (result.code !== 0) throw new Error(`pm2 jlist exited with ${result.code}: ${result.stderr}`);
    const apps = JSON.parse(result.stdout) as Pm2Process[];
    for (const app of apps) if (app.pid > 0) appPids.add(app.pid);
    return apps;
  };

  t.after(async () => {
    const daemonPidPath = join(home, 'pm2.pid');
    let killed = !existsSync(daemonPidPath);
    try {
      if (!killed) killed = (await run(['kill'])).code === 0;
    } finally {
      // Only when pm2 could not clean up: anything left that runs under this home.
      if (!killed) for (const pid of [readPidfile(daemonPidPath), ...appPids]) killIfOurs(pid, home);
      rmSync(home, { recursive: true, force: true });
    }
  });

  return {
    home,
    run,
    jlist,
    waitForApp: (name, what, ready, timeoutMs = 15_000) =>
      waitFor(
        `pm2 app ${name} ${what}`,
        async () => (await jlist()).find((app) => app.name === name && ready(app)),
        timeoutMs,
      ),
  };
}

// A pid seen earlier may have been reused since; only a process started under `home` is killed.
function killIfOurs(pid: number | null, home: string): void {
  if (pid === null) return;
  try {
    if (!readFileSync(`/proc/${pid}/environ`, 'utf8').includes(`PM2_HOME=${home}\0`)) return;
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone: what we wanted.
  }
}
