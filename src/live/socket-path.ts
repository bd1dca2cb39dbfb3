// RUN_DIR/control.sock is created by vmtel and by nothing else. A socket left by a vmtel that was
// killed (nobody answers on it) is stale and replaced; anything else at that path (a file, a
// link, a socket someone serves) is not ours to remove, and vmtel refuses to start.
import { lstatSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { VmtelError } from '../errors';

/** Makes `path` free for a new socket, or throws VMTEL_CONTROL_SOCKET_UNAVAILABLE. */
export async function freeSocketPath(path: string): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (!isSocket) throw taken(path, 'it exists and is not a socket');
  const answer = await new Promise<string | null>((resolve) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(null);
    });
    probe.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
  });
  if (answer === null) throw taken(path, 'a process is serving it');
  if (answer !== 'ECONNREFUSED') throw taken(path, `probing it failed with ${answer}`);
  rmSync(path);
}

function taken(path: string, why: string): VmtelError {
  return new VmtelError('VMTEL_CONTROL_SOCKET_UNAVAILABLE', `cannot serve the control socket ${path}: ${why}; remove it if it is not vmtel's`);
}
