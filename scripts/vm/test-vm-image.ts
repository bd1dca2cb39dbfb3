// Builds the test VM once and reuses it: Debian's cloud kernel plus an initramfs made by
// initramfs.ts. The image lives in the user's cache (outside git), in a directory named by a hash
// of everything it is made from, so editing the agent, guest-root/ or this builder rebuilds it.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { dependencyOf, extractDeb, fetchDeb } from './debian-packages';
import { GUEST_MODULES } from './guest-modules';
import { initramfs, type GuestFile } from './initramfs';
import { runTool } from './run-tool';
import { TestVmError } from './test-vm-error';

// Debian's smallest amd64 kernel, built for VMs; a metapackage naming the current kernel package.
const KERNEL_METAPACKAGE = 'linux-image-cloud-amd64';
// Static, so the initramfs needs no C library.
const BUSYBOX_PACKAGE = 'busybox-static';
// dist/scripts/vm/ -> the checkout, where guest/ and scripts/vm/guest-root/ are.
const PROJECT_ROOT = join(__dirname, '..', '..', '..');
/** The in-guest agent of this checkout. */
export const AGENT_PATH = join(PROJECT_ROOT, 'guest', 'agent', 'vmtel-agent.sh');
const GUEST_ROOT = join(PROJECT_ROOT, 'scripts', 'vm', 'guest-root');
// The compiled modules that decide the image's bytes: a change in any of them is a new image.
const BUILDER_MODULES = [__filename, require.resolve('./initramfs'), require.resolve('./newc-archive'), require.resolve('./guest-modules')];

export interface TestVmImage {
  /** The image's directory; its name is the image's key. */
  dir: string;
  kernelPath: string;
  initrdPath: string;
  /** The guest's busybox, to run the agent on the host under the shell the guest uses. */
  busyboxPath: string;
}

/** Where images and downloaded packages are kept: $XDG_CACHE_HOME/vmtel/test-vm. */
function testVmCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'vmtel', 'test-vm');
}

/** The image for the current inputs, built first when the cache has none. */
export async function buildTestVm(cacheDir: string = testVmCacheDir()): Promise<TestVmImage> {
  const debsDir = join(cacheDir, 'debs');
  const kernelDeb = await fetchDeb(debsDir, await dependencyOf(await fetchDeb(debsDir, KERNEL_METAPACKAGE)));
  const busyboxDeb = await fetchDeb(debsDir, BUSYBOX_PACKAGE);
  const agent = readFileSync(AGENT_PATH);
  const guestFiles = readGuestTree(GUEST_ROOT);
  const imagesDir = join(cacheDir, 'images');
  const dir = join(imagesDir, imageKey([kernelDeb, busyboxDeb], agent, guestFiles));
  const image = { dir, kernelPath: join(dir, 'vmlinuz'), initrdPath: join(dir, 'initrd.img'), busyboxPath: join(dir, 'busybox') };
  if (existsSync(image.initrdPath)) return image;

  mkdirSync(imagesDir, { recursive: true });
  const workDir = mkdtempSync(join(imagesDir, '.build-'));
  try {
    const kernelRoot = join(workDir, 'kernel');
    const busyboxRoot = join(workDir, 'busybox');
    await Promise.all([extractDeb(kernelDeb, kernelRoot), extractDeb(busyboxDeb, busyboxRoot)]);
    const busyboxPath = join(busyboxRoot, 'bin', 'busybox');
    const { vmlinuzPath, modulesDir } = locateKernel(kernelRoot);
    const modules = await Promise.all(GUEST_MODULES.map(async (m) => ({ name: m.name, data: await moduleBytes(join(modulesDir, m.path), busyboxPath) })));
    const partDir = join(workDir, 'image');
    mkdirSync(partDir);
    copyFileSync(vmlinuzPath, join(partDir, 'vmlinuz'));
    copyFileSync(busyboxPath, join(partDir, 'busybox'));
    writeFileSync(join(partDir, 'initrd.img'), initramfs({ busybox: readFileSync(busyboxPath), agent, guestFiles, modules }));
    // Another build of the same key may have won the race; its image is the same.
    if (!existsSync(dir)) renameSync(partDir, dir);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  pruneOtherImages(imagesDir, basename(dir));
  return image;
}

function imageKey(debPaths: string[], agent: Buffer, guestFiles: readonly GuestFile[]): string {
  const hash = createHash('sha256');
  // A .deb's file name carries its exact Debian version, which Debian never reuses.
  for (const deb of debPaths) hash.update(`deb ${basename(deb)}\n`);
  hash.update(`agent ${sha256(agent)}\n`);
  for (const file of guestFiles) hash.update(`file ${file.path} ${file.mode.toString(8)} ${sha256(file.data)}\n`);
  for (const module of BUILDER_MODULES) hash.update(`builder ${sha256(readFileSync(module))}\n`);
  // 16 hex digits (64 bits) name a handful of images without a collision.
  return hash.digest('hex').slice(0, 16);
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

// Files under `root` with their paths relative to it, sorted; executable ones keep 0755.
function readGuestTree(root: string): GuestFile[] {
  const files = readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
  return files.sort().map((file) => ({
    path: relative(root, file),
    mode: statSync(file).mode & 0o111 ? 0o755 : 0o644,
    data: readFileSync(file),
  }));
}

// The kernel package holds boot/vmlinuz-<release> and the modules under (usr/)lib/modules/<release>.
function locateKernel(kernelRoot: string): { vmlinuzPath: string; modulesDir: string } {
  const vmlinuz = readdirSync(join(kernelRoot, 'boot')).find((name) => name.startsWith('vmlinuz-'));
  if (vmlinuz === undefined) throw new TestVmError('TEST_VM_INPUT_MISSING', `${KERNEL_METAPACKAGE}: no boot/vmlinuz-* in the kernel package`);
  const release = vmlinuz.slice('vmlinuz-'.length);
  const modulesDir = ['lib', 'usr/lib']
    .map((lib) => join(kernelRoot, lib, 'modules', release, 'kernel'))
    .find((dir) => existsSync(dir));
  if (modulesDir === undefined) throw new TestVmError('TEST_VM_INPUT_MISSING', `kernel ${release}: no modules directory`);
  return { vmlinuzPath: join(kernelRoot, 'boot', vmlinuz), modulesDir };
}

// busybox insmod loads plain .ko files only; a kernel that ships .ko.xz is decompressed here.
async function moduleBytes(koPath: string, busyboxPath: string): Promise<Buffer> {
  if (existsSync(koPath)) return readFileSync(koPath);
  if (existsSync(`${koPath}.xz`)) return runTool(busyboxPath, ['xzcat', `${koPath}.xz`], '.', 'busybox from busybox-static has xzcat');
  throw new TestVmError('TEST_VM_INPUT_MISSING', `kernel module ${koPath} not found`);
}

// Keeps the cache to one image: each holds a 14 MB kernel, and an old one is never used again.
function pruneOtherImages(imagesDir: string, keep: string): void {
  for (const name of readdirSync(imagesDir)) {
    if (name !== keep && !name.startsWith('.')) rmSync(join(imagesDir, name), { recursive: true, force: true });
  }
}
