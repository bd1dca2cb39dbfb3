// The initramfs is a "newc" cpio archive, the format the kernel unpacks. Writing it here (about
// 50 lines) instead of calling cpio(1) spares the build a package, and lets the archive hold a
// /dev/console node and root-owned files without root, with fixed inode numbers and mtime 0, so
// the same inputs always give the same bytes.

const MAGIC = '070701';
// newc pads the header+name and the data each to a multiple of 4 bytes.
const ALIGN_BYTES = 4;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;

export type NewcEntry =
  | { kind: 'dir'; path: string; mode: number }
  | { kind: 'file'; path: string; mode: number; data: Buffer }
  | { kind: 'symlink'; path: string; target: string }
  | { kind: 'chardev'; path: string; mode: number; major: number; minor: number };

/** The archive of `entries`, in the given order (parents before children), with its trailer. */
export function newcArchive(entries: readonly NewcEntry[]): Buffer {
  const parts: Buffer[] = [];
  entries.forEach((entry, index) => parts.push(...member(entry, index + 1)));
  parts.push(...record({ ino: 0, mode: 0, nlink: 1, rdevMajor: 0, rdevMinor: 0 }, 'TRAILER!!!', Buffer.alloc(0)));
  return Buffer.concat(parts);
}

function member(entry: NewcEntry, ino: number): Buffer[] {
  const base = { ino, nlink: 1, rdevMajor: 0, rdevMinor: 0 };
  switch (entry.kind) {
    case 'dir':
      return record({ ...base, nlink: 2, mode: S_IFDIR | entry.mode }, entry.path, Buffer.alloc(0));
    case 'file':
      return record({ ...base, mode: S_IFREG | entry.mode }, entry.path, entry.data);
    case 'symlink':
      return record({ ...base, mode: S_IFLNK | 0o777 }, entry.path, Buffer.from(entry.target));
    case 'chardev':
      return record({ ...base, mode: S_IFCHR | entry.mode, rdevMajor: entry.major, rdevMinor: entry.minor }, entry.path, Buffer.alloc(0));
  }
}

interface Header {
  ino: number;
  mode: number;
  nlink: number;
  rdevMajor: number;
  rdevMinor: number;
}

function record(header: Header, path: string, data: Buffer): Buffer[] {
  const name = Buffer.from(`${path}\0`);
  // ino mode uid gid nlink mtime filesize devmajor devminor rdevmajor rdevminor namesize check
  const fields = [header.ino, header.mode, 0, 0, header.nlink, 0, data.length, 0, 0, header.rdevMajor, header.rdevMinor, name.length, 0];
  const head = Buffer.from(MAGIC + fields.map((field) => field.toString(16).padStart(8, '0')).join(''));
  return [head, name, padding(head.length + name.length), data, padding(data.length)];
}

function padding(length: number): Buffer {
  return Buffer.alloc((ALIGN_BYTES - (length % ALIGN_BYTES)) % ALIGN_BYTES);
}
