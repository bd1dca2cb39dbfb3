// The run dir is checked before anything starts, by `validate` and by `run`: a run dir that cannot
// be one (a regular file, a folder of /proc, where mkdir fails forever) or that is not the running
// user's own is one clear line with its code, never a spin, a crash or a silent start. A run dir
// that exists must be owned by the running user and not writable by others, the way ssh's
// StrictModes treats ~/.ssh: vmtel may run as root, and a folder another user can write to lets
// that user plant links and files under the names vmtel writes (see docs/threat-model.md).
import { accessSync, constants, lstatSync, statfsSync, statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { VmtelError } from '../errors';

// Kernel file systems (statfs f_type) hold no files of anyone's: mkdir under /proc fails, and a
// retry loop around it spun forever.
const KERNEL_FILE_SYSTEMS = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
]);

/** Throws VMTEL_RUN_DIR_INVALID / _UNSAFE / _DENIED / _READ_ONLY when `runDir` cannot be this user's run dir. */
export function checkRunDir(runDir: string, dirMode: number): void {
  const existing = nearestExisting(runDir);
  const kernelFs = KERNEL_FILE_SYSTEMS.get(Number(statfsSync(existing.path).type));
  if (kernelFs !== undefined) throw invalid(runDir, `is on ${kernelFs}, a kernel file system that holds no files`);
  if (!existing.stat.isDirectory()) {
    throw invalid(runDir, existing.path === runDir ? 'is not a folder (a regular file?)' : `cannot be created: ${existing.path} is not a folder`);
  }
  if (existing.path !== runDir) {
    try {
      accessSync(existing.path, constants.W_OK | constants.X_OK);
    } catch (err) {
      throw runDirErrorOf(err, existing.path, `cannot create run directory ${runDir} in`);
    }
    return;
  }
  const uid = process.geteuid?.() ?? existing.stat.uid;
  const link = lstatSync(runDir);
  // A link at the run dir's name is followed (an operator's own links are common), but only one
  // the running user or root made: another user's link could be pointed elsewhere at any time.
  if (link.isSymbolicLink() && link.uid !== uid && link.uid !== 0) throw unsafeDir(runDir, `is a link made by uid ${link.uid}`);
  if (existing.stat.uid !== uid) throw unsafeDir(runDir, `belongs to uid ${existing.stat.uid}, not to the running user (uid ${uid})`);
  const othersMayWrite = existing.stat.mode & 0o022 & ~dirMode;
  if (othersMayWrite !== 0) {
    throw unsafeDir(runDir, `is writable by ${othersMayWrite & 0o020 ? 'its group' : 'others'} (mode ${(existing.stat.mode & 0o7777).toString(8)}); chmod go-w it, or allow it with dir_mode`);
  }
}

/**
 * The VmtelError for a file system failure at start, by errno (EACCES, EROFS, ENOSPC): these are
 * the host's state, not vmtel's bugs. Anything else is returned as it is.
 */
export function runDirErrorOf(err: unknown, path: string, doing: string): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return new VmtelError('VMTEL_RUN_DIR_DENIED', `${doing} ${path}: permission denied (${code})`, { cause: err });
  if (code === 'EROFS') return new VmtelError('VMTEL_RUN_DIR_READ_ONLY', `${doing} ${path}: read-only file system (EROFS)`, { cause: err });
  if (code === 'ENOSPC' || code === 'EDQUOT') return new VmtelError('VMTEL_DISK_FULL', `${doing} ${path}: no space left (${code})`, { cause: err });
  if (code === 'ENOTDIR') return invalid(path, 'has a parent that is not a folder');
  if (code === 'ENOENT') return new VmtelError('VMTEL_RUN_DIR_INVALID', `${doing} ${path}: its folder does not exist (ENOENT)`, { cause: err });
  return err;
}

// The run dir itself, or the closest of its parents that exists (links followed).
function nearestExisting(runDir: string): { path: string; stat: Stats } {
  for (let path = runDir; ; path = dirname(path)) {
    try {
      return { path, stat: statSync(path) };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(path) === path) throw runDirErrorOf(err, path, 'cannot look at');
    }
  }
}

function invalid(runDir: string, why: string): VmtelError {
  return new VmtelError('VMTEL_RUN_DIR_INVALID', `run directory ${runDir} ${why}`);
}

function unsafeDir(runDir: string, why: string): VmtelError {
  return new VmtelError('VMTEL_RUN_DIR_UNSAFE', `refusing run directory ${runDir}: it ${why}`);
}
