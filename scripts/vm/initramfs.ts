// The test VM's whole root filesystem, as a gzip'd initramfs: busybox (its init reads
// guest-root/etc/inittab), the agent as /usr/sbin/vmtel-agent, and the kernel modules rcS loads
// in the order /etc/vmtel-modules lists. Nothing else: a small image boots fast under TCG.
import { posix } from 'node:path';
import { gzipSync } from 'node:zlib';
import { newcArchive, type NewcEntry } from './newc-archive';

export interface GuestFile {
  /** Path inside the guest, without the leading slash. */
  path: string;
  mode: number;
  data: Buffer;
}

export interface InitramfsInputs {
  busybox: Buffer;
  agent: Buffer;
  /** The files of guest-root/ (init configuration). */
  guestFiles: readonly GuestFile[];
  /** Module files in load order. */
  modules: ReadonlyArray<{ name: string; data: Buffer }>;
}

// Mount points, and the directories `busybox --install -s` puts its applet links in.
const EMPTY_DIRS = ['dev', 'proc', 'sys', 'tmp', 'sbin', 'usr/bin', 'usr/sbin'];
const EXECUTABLE = 0o755;
const READABLE = 0o644;
// /dev/console (char 5:1) must exist before devtmpfs is mounted: the kernel opens it for init's
// stdin, stdout and stderr, and init would otherwise run with none.
const CONSOLE = { major: 5, minor: 1, mode: 0o600 };

/** The gzip'd newc archive the kernel unpacks as its root filesystem. */
export function initramfs(inputs: InitramfsInputs): Buffer {
  const entries: NewcEntry[] = [
    // The kernel runs /init; busybox, called as "init", is busybox init.
    { kind: 'symlink', path: 'init', target: '/bin/busybox' },
    { kind: 'file', path: 'bin/busybox', mode: EXECUTABLE, data: inputs.busybox },
    // rcS needs a shell before it has made busybox's other links.
    { kind: 'symlink', path: 'bin/sh', target: 'busybox' },
    { kind: 'chardev', path: 'dev/console', ...CONSOLE },
    { kind: 'file', path: 'usr/sbin/vmtel-agent', mode: EXECUTABLE, data: inputs.agent },
    { kind: 'file', path: 'etc/vmtel-modules', mode: READABLE, data: Buffer.from(inputs.modules.map((m) => `${m.name}\n`).join('')) },
    ...inputs.modules.map((m): NewcEntry => ({ kind: 'file', path: `lib/modules/${m.name}.ko`, mode: READABLE, data: m.data })),
    ...inputs.guestFiles.map((f): NewcEntry => ({ kind: 'file', ...f })),
    ...EMPTY_DIRS.map((path): NewcEntry => ({ kind: 'dir', path, mode: EXECUTABLE })),
  ];
  return gzipSync(newcArchive(withParentDirs(entries)));
}

// Every entry's missing ancestors as directories, then all sorted by path: a parent is a prefix
// of its children, so it sorts before them, as the kernel needs when it unpacks.
function withParentDirs(entries: NewcEntry[]): NewcEntry[] {
  const byPath = new Map(entries.map((entry) => [entry.path, entry]));
  for (const entry of entries) {
    for (let dir = posix.dirname(entry.path); dir !== '.' && !byPath.has(dir); dir = posix.dirname(dir)) {
      byPath.set(dir, { kind: 'dir', path: dir, mode: EXECUTABLE });
    }
  }
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
