// A /proc or /sys file read on every tick of an episode. Reading one by path costs a path walk
// and five system calls (open, fstat, read, read to EOF, close): 25–60 µs each time on a busy
// VM, several times that at 1 Hz when every cache is cold, and a sampler reads tens of them.
// Kept open, the file is read with one pread from offset 0, which makes procfs and sysfs
// generate it anew: a tenth of the cost, so the idle cost of an episode is its sleeping threads.
//
// An open file stays bound to the object it was opened on. procfs answers ESRCH once that
// process or thread has gone, sysfs ENODEV once that interface has, and a regular file (a test's
// tree) that was replaced or removed shows no links left, which costs an fstat per read and so is
// asked of other file systems only. Then the path is opened again: the object now there, or none.
import { closeSync, fstatSync, openSync, readSync, statfsSync } from 'node:fs';
import { nullIfGone } from './read-proc-file';

// The fd is stale: its process, thread or interface has gone.
const STALE_CODES = new Set(['ESRCH', 'ENODEV']);
// A page holds every sysfs attribute and most procfs files; /proc/stat of a large host is
// bigger, and the buffer grows to fit it once.
const FIRST_BUFFER_BYTES = 4096;
// statfs(2) f_type of the file systems whose files turn stale by themselves (linux/magic.h).
const PROC_SUPER_MAGIC = 0x9fa0;
const SYSFS_MAGIC = 0x62656572;

// One buffer for every file of the thread: reads are synchronous, so they never overlap.
let scratch = Buffer.allocUnsafe(FIRST_BUFFER_BYTES);

export class KeptOpenFile {
  private fd: number | null = null;
  // Whether a replaced or removed file must be looked for (not procfs or sysfs); set at open.
  private checkLinks = true;

  constructor(readonly path: string) {}

  /** The file's text now, or null when nothing is at its path. Other failures (EACCES, EIO) throw. */
  read(): string | null {
    if (this.fd !== null) {
      const text = this.readOpenFile(this.fd);
      if (text !== null) return text;
      this.close();
    }
    this.fd = openIfPresent(this.path);
    if (this.fd === null) return null;
    this.checkLinks = !turnsStaleByItself(this.path);
    // A file opened this instant cannot be stale; if it is, the object went as it was opened.
    const text = this.readOpenFile(this.fd);
    if (text === null) this.close();
    return text;
  }

  /** Releases the fd; a later read opens the path again. */
  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }

  // The whole file, or null when the fd no longer stands for what is at the path.
  private readOpenFile(fd: number): string | null {
    if (this.checkLinks && fstatSync(fd).nlink === 0) return null;
    for (;;) {
      let bytes: number;
      try {
        bytes = readSync(fd, scratch, 0, scratch.length, 0);
      } catch (err) {
        if (STALE_CODES.has((err as NodeJS.ErrnoException).code ?? '')) return null;
        throw err;
      }
      // procfs and sysfs fill a read until the buffer or the file ends, so a short read is the
      // whole file; a full one may not be, and is done again, whole, into a bigger buffer.
      if (bytes < scratch.length) return scratch.toString('latin1', 0, bytes);
      scratch = Buffer.allocUnsafe(scratch.length * 2);
    }
  }
}

// procfs and sysfs; false also when the path cannot be asked (it went as it was opened), which
// only costs the check.
function turnsStaleByItself(path: string): boolean {
  try {
    const fileSystem = statfsSync(path).type;
    return fileSystem === PROC_SUPER_MAGIC || fileSystem === SYSFS_MAGIC;
  } catch {
    return false;
  }
}

function openIfPresent(path: string): number | null {
  return nullIfGone(() => openSync(path, 'r'));
}
