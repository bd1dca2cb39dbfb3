// The suite's few system tools (socat for the throughput baseline, a C compiler for the C raw
// reader) are installed with apt-get when missing and the suite runs as root, as in CI.
import { spawnSync } from 'node:child_process';

/** Makes sure `command` runs (`command ...probeArgs` exits 0), installing `aptPackage` if not. */
export function ensureCommand(command: string, probeArgs: string[], aptPackage: string): void {
  if (spawnSync(command, probeArgs, { stdio: 'ignore' }).status === 0) return;
  const byHand = `install it (apt-get install -y ${aptPackage}) and run again`;
  if (process.getuid?.() !== 0) throw new Error(`${command} is missing and this is not root: ${byHand}`);
  process.stdout.write(`installing ${aptPackage} with apt-get…\n`);
  const install = (): number | null => spawnSync('apt-get', ['install', '-y', aptPackage], { stdio: 'ignore' }).status;
  if (install() !== 0) {
    spawnSync('apt-get', ['update'], { stdio: 'ignore' });
    if (install() !== 0) throw new Error(`apt-get could not install ${aptPackage}: ${byHand}`);
  }
}
