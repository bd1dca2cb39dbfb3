// Why a unix socket of QEMU's could not be reached, in words that say what to do: the errno
// alone ("ECONNREFUSED") reads the same for a dead QEMU and a regular file in the socket's place.
// Shared by the collectors' waiting lines, their give-up lines and `vmtel check`.
import { statSync } from 'node:fs';

// sun_path holds 108 bytes on Linux, the last one a NUL.
const MAX_SOCKET_PATH_BYTES = 107;

/** What to tell about `path` after connecting failed with `errorCode`; `qemuOption` is the QEMU argument that creates it. */
export function diagnoseSocket(path: string, errorCode: string, qemuOption: string): string {
  // libuv cuts a longer path to fit sun_path and then reports the shortened one's ENOENT.
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH_BYTES) return `${path}: the path is too long for a unix socket (at most ${MAX_SOCKET_PATH_BYTES} bytes)`;
  switch (errorCode) {
    case 'ENOENT':
      return `${path} does not exist: QEMU has not created it yet (not started?), or its command line names another path (${qemuOption})`;
    case 'ECONNREFUSED':
      return refused(path, qemuOption);
    case 'EACCES':
    case 'EPERM':
      return `${path}: permission denied (${errorCode}): vmtel (uid ${process.getuid?.() ?? '?'}) needs write access to the socket and search access to its folders; run QEMU and vmtel as one user or group`;
    case 'ENOTDIR':
      return `${path}: a component of the path is not a folder`;
    default:
      return `${path}: ${errorCode}`;
  }
}

function refused(path: string, qemuOption: string): string {
  let kind: string;
  try {
    const stats = statSync(path);
    kind = stats.isSocket() ? 'socket' : stats.isDirectory() ? 'folder' : stats.isFile() ? 'regular file' : 'special file';
  } catch {
    kind = 'socket';
  }
  if (kind !== 'socket') return `${path} is a ${kind}, not a socket: remove it and let QEMU create the socket (${qemuOption})`;
  return `${path} refuses connections: no QEMU listens on it (it exited and left the socket, or is still starting)`;
}

/** The QEMU arguments that create each socket vmtel reads, as a diagnosis quotes them. */
export const QEMU_SOCKET_ARGUMENT = {
  guestAgent: (path: string) => `-chardev socket,id=agent,path=${path},server=on,wait=off`,
  qmp: (path: string) => `-qmp unix:${path},server=on,wait=off`,
} as const;
