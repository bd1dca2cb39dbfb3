#!/usr/bin/env node
// The test VM by hand: `build` prints where the (cached) image is; `boot RUN_DIR` boots it wired
// for vmtel and stays until QEMU exits (Ctrl-C ends QEMU). See docs/real-vm.md.
//   node dist/scripts/vm/test-vm.js build
//   node dist/scripts/vm/test-vm.js boot RUN_DIR [--interval-s SECONDS]
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchTestVm } from './launch-test-vm';
import { buildTestVm } from './test-vm-image';

const USAGE = 'usage: test-vm.js build | boot RUN_DIR [--interval-s SECONDS]';

async function main(argv: string[]): Promise<number> {
  const [command, runDir, flag, value] = argv;
  if (command === 'build' && argv.length === 1) {
    console.log(JSON.stringify(await buildTestVm()));
    return 0;
  }
  const intervalGiven = flag === '--interval-s' && value !== undefined && argv.length === 4;
  if (command !== 'boot' || runDir === undefined || !(argv.length === 2 || intervalGiven)) {
    console.error(USAGE);
    return 2;
  }
  const image = await buildTestVm();
  mkdirSync(resolve(runDir), { recursive: true });
  const vm = launchTestVm(image, resolve(runDir), intervalGiven ? { agentIntervalS: Number(value) } : {});
  console.log(JSON.stringify({ pid: vm.child.pid, ...vm.paths }));
  // QEMU ends on SIGINT/SIGTERM by itself; this process only waits for it.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => vm.child.kill(signal));
  const exit = await vm.exited;
  if (exit.stderr !== '') console.error(exit.stderr.trimEnd());
  return exit.code ?? 1;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(`test-vm: ${(err as Error).message}`);
    process.exitCode = 1;
  },
);
