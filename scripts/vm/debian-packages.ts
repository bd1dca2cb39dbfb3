// The test VM is made from Debian packages only, fetched with `apt-get download` (never installed)
// and unpacked with `dpkg -x`. Each package is downloaded once into the cache and reused from
// there, so the VM stays the same until the cache is cleared, even when Debian moves on.
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runTool } from './run-tool';
import { TestVmError } from './test-vm-error';

const APT_HINT = 'the test VM is built from Debian packages: run on Debian or Ubuntu with apt and dpkg';

/** The cached .deb of `name` under `debsDir`, downloaded by apt-get on first use. */
export async function fetchDeb(debsDir: string, name: string): Promise<string> {
  const packageDir = join(debsDir, name);
  const cached = debIn(packageDir);
  if (cached !== undefined) return cached;
  mkdirSync(debsDir, { recursive: true });
  // Downloaded beside the cache and renamed into place, so a cut download never looks cached.
  const partDir = mkdtempSync(join(debsDir, `.${name}-`));
  try {
    await runTool('apt-get', ['download', name], partDir, APT_HINT).catch((err: unknown) => {
      throw new TestVmError('TEST_VM_TOOL_FAILED', `cannot download ${name} (run \`apt-get update\` first?): ${(err as Error).message}`, {
        cause: err,
      });
    });
    rmSync(packageDir, { recursive: true, force: true });
    renameSync(partDir, packageDir);
  } finally {
    rmSync(partDir, { recursive: true, force: true });
  }
  const downloaded = debIn(packageDir);
  if (downloaded === undefined) throw new TestVmError('TEST_VM_INPUT_MISSING', `apt-get download ${name} left no .deb`);
  return downloaded;
}

/** The package a metapackage stands for: the first name in its Depends field. */
export async function dependencyOf(debPath: string): Promise<string> {
  const depends = (await runTool('dpkg-deb', ['--field', debPath, 'Depends'], '.', APT_HINT)).toString();
  const name = /^\s*([a-z0-9][a-z0-9+.-]*)/.exec(depends)?.[1];
  if (name === undefined) throw new TestVmError('TEST_VM_INPUT_MISSING', `${debPath} depends on nothing`);
  return name;
}

/** Unpacks the files of `debPath` under `intoDir`. */
export async function extractDeb(debPath: string, intoDir: string): Promise<void> {
  await runTool('dpkg', ['-x', debPath, intoDir], '.', APT_HINT);
}

function debIn(dir: string): string | undefined {
  try {
    const name = readdirSync(dir).find((file) => file.endsWith('.deb'));
    return name === undefined ? undefined : join(dir, name);
  } catch {
    return undefined;
  }
}
