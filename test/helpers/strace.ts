// Runs a Node script under strace, whose fault injection gives a system call the answer of a host
// a test cannot otherwise arrange (a file system without hard links, a file that vanishes between
// two calls, a truncate that fails): the code under test runs unchanged, only the kernel's answer
// differs. The script runs in a process group of its own, so that a deadline ends the traced
// process too, not only strace.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { TestContext } from 'node:test';
import { withDeadline } from './wait-for';

/** Runs `node script ...args` under `strace straceArgs`; its stdout once it exited 0. */
export async function runUnderStrace(t: Pick<TestContext, 'after'>, straceArgs: string[], script: string, args: string[], deadlineMs = 20_000): Promise<string> {
  const child = spawn('strace', ['-f', '-qq', '-o', '/dev/null', ...straceArgs, process.execPath, script, ...args], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  t.after(() => {
    if (!exited) process.kill(-child.pid!, 'SIGKILL');
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  const [code] = (await withDeadline(`${script} under strace to end`, once(child, 'exit'), deadlineMs)) as [number | null];
  assert.equal(code, 0, `strace or ${script} failed; it printed ${JSON.stringify(stdout)}`);
  return stdout;
}
