// The built-in collector kinds. A config's `kind:` names one of these; `module: PATH` names a
// user's own. The main thread reads every kind's options schema, a worker runs one kind: each
// kind's module is loaded when it is first asked for, so a worker loads its own collector and
// no other. The require() paths are literal so that a bundler follows them (see docs/build.md).
import type { BuiltInDefinition } from './contract';

type CollectorModule = { collector: BuiltInDefinition };

const LOADERS: ReadonlyMap<string, () => CollectorModule> = new Map<string, () => CollectorModule>([
  ['guest_agent', () => require('./guest-agent') as CollectorModule],
  ['host', () => require('./host') as CollectorModule],
  ['net', () => require('./net') as CollectorModule],
  ['qemu_process', () => require('./qemu-process') as CollectorModule],
  ['qmp', () => require('./qmp') as CollectorModule],
]);

/** The names of every built-in kind. */
export const BUILT_IN_KIND_NAMES: readonly string[] = [...LOADERS.keys()];

/** The definition of built-in `kind`, or undefined when there is no such kind. */
export function builtInKind(kind: string): BuiltInDefinition | undefined {
  return LOADERS.get(kind)?.().collector;
}
