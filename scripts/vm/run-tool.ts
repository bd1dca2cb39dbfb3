// The builder drives Debian's own tools (apt-get, dpkg). One place runs them, so a missing tool
// or a failed step always reads the same: what ran, what it said, and what to install.
import { execFile } from 'node:child_process';
import { TestVmError } from './test-vm-error';

// apt-get download and dpkg print little; this only bounds a runaway tool.
const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;
// A failure quotes the end of stderr, where apt and dpkg put the reason.
const STDERR_TAIL_CHARS = 800;

/** Runs `command args` in `cwd`; its stdout. Throws TestVmError naming `installHint` when absent. */
export function runTool(command: string, args: readonly string[], cwd: string, installHint: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, maxBuffer: MAX_OUTPUT_BYTES, encoding: 'buffer' }, (err, stdout, stderr) => {
      if (err === null) return resolve(stdout);
      const line = [command, ...args].join(' ');
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        return reject(new TestVmError('TEST_VM_TOOL_MISSING', `${command} not found: ${installHint}`, { cause: err }));
      }
      const said = stderr.toString().trim().slice(-STDERR_TAIL_CHARS) || err.message;
      reject(new TestVmError('TEST_VM_TOOL_FAILED', `\`${line}\` failed: ${said}`, { cause: err }));
    });
  });
}
