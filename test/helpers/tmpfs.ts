// A small tmpfs of its own for a test that needs a real full disk (ENOSPC) or a real read-only
// file system: mounting needs root, so a test run by anyone else skips with that reason. The
// mount is undone when the test ends, whatever happened, and the folder removed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

/** Why a test needing a mount cannot run here, or null when it can. */
export const MOUNT_SKIP_REASON = process.geteuid?.() === 0 ? null : 'mounting a tmpfs needs root; run the tests as root to include the disk-fault tests';

/** Mounts a tmpfs of `sizeBytes` on a fresh folder, unmounted after `t`; returns the folder. */
export function mountTmpfs(t: Pick<TestContext, 'after'>, sizeBytes: number, options = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'vt-fs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes}${options === '' ? '' : `,${options}`}`, 'tmpfs', dir]);
  t.after(() => {
    // Lazy: a process the test failed to end must not keep the mount (and the host's memory).
    execFileSync('umount', ['-l', dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/** Remounts the tmpfs at `dir` read-only or read-write. */
export function remount(dir: string, mode: 'ro' | 'rw'): void {
  execFileSync('mount', ['-o', `remount,${mode}`, dir]);
}

/** Fills the file system of `dir` to the last block with a file it returns the path of. */
export function fillDisk(dir: string): string {
  const path = join(dir, 'filler');
  try {
    execFileSync('dd', ['if=/dev/zero', `of=${path}`, 'bs=4096'], { stdio: 'ignore' });
  } catch {
    // dd ends with "No space left on device": that is the point.
  }
  return path;
}
