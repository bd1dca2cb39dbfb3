// Each benchmark run gets a fresh directory under the OS temp dir (short, for the 108-byte unix
// socket limit), removed afterwards whatever happens: a throughput run leaves 60 MB behind.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs `body` with a fresh directory, removed when it settles. */
export async function withBenchDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'vb-'));
  try {
    return await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The `collectors:` entries of an episode with only guest_agent, reading `socketPath`. */
export function guestOnlyCollectors(socketPath: string, reconnect: boolean): string {
  return `  guest_agent:\n    socket: ${JSON.stringify(socketPath)}\n    reconnect: ${reconnect}\n`;
}
