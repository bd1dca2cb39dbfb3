// The built-in collector kinds. A config's `kind:` names one of these; `module: PATH` names a
// user's own. The worker loads a kind by module path, the main thread reads its options schema
// from the same definition, so both sides agree on what a kind is.
import type { CollectorDefinition } from './contract';

export interface BuiltInKind {
  definition: CollectorDefinition;
  /** The compiled module that exports `collector`, loaded by the worker. */
  modulePath: string;
}

function builtIn(modulePath: string): BuiltInKind {
  const { collector } = require(modulePath) as { collector: CollectorDefinition };
  return { definition: collector, modulePath };
}

/** Every built-in kind by name. */
export const BUILT_IN_KINDS: ReadonlyMap<string, BuiltInKind> = new Map(
  [
    // one builtIn(require.resolve('./<kind-folder>')) per kind
    builtIn(require.resolve('./guest-agent')),
    builtIn(require.resolve('./host')),
    builtIn(require.resolve('./net')),
    builtIn(require.resolve('./qemu-process')),
    builtIn(require.resolve('./qmp')),
  ].map((kind: BuiltInKind) => [kind.definition.kind, kind]),
);
