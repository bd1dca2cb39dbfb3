// Finds the definition behind a collector entry, a built-in kind or a user's `module:`, because
// its options schema is what the rest of the entry is checked against.
import { BUILT_IN_KIND_NAMES, builtInKind } from '../collectors/registry';
import type { CollectorDefinition } from '../collectors/contract';
import { VmtelError } from '../errors';
import { loadCollectorModule } from '../orchestrator/load-collector-module';
import { didYouMean } from './did-you-mean';
import type { KeyPath } from './key-lines';
import type { ProblemList } from './problem-list';

export interface FoundDefinition {
  definition: CollectorDefinition;
  /** Absolute path of the user's module the worker will load; undefined for a built-in kind. */
  modulePath: string | undefined;
}

/** How the entry at `at` names its collector: `kind:` (or its own name) or `module:`. */
export interface DefinitionRef {
  at: KeyPath;
  name: string;
  kind: string | undefined;
  modulePath: string | undefined;
}

/** The definition `ref` names; undefined when it names none, after adding the problem. */
export async function findDefinition(ref: DefinitionRef, problems: ProblemList): Promise<FoundDefinition | undefined> {
  if (ref.modulePath !== undefined) {
    try {
      return { definition: await loadCollectorModule(ref.modulePath), modulePath: ref.modulePath };
    } catch (err) {
      const code = err instanceof VmtelError ? err.code : 'VMTEL_MODULE_INVALID';
      problems.add([...ref.at, 'module'], `${(err as Error).message} [${code}]`);
      return undefined;
    }
  }
  const kind = ref.kind ?? ref.name;
  const definition = builtInKind(kind);
  if (definition !== undefined) return { definition, modulePath: undefined };
  problems.add(ref.kind === undefined ? ref.at : [...ref.at, 'kind'], unknownKindMessage(kind, ref.kind === undefined));
  return undefined;
}

function unknownKindMessage(kind: string, fromName: boolean): string {
  const known = [...BUILT_IN_KIND_NAMES].sort();
  const source = fromName ? ' (the entry has no kind: key, so its name is taken as the kind)' : '';
  const list = known.length === 0 ? 'there are no built-in kinds' : `known kinds are ${known.join(', ')}`;
  return `unknown collector kind "${kind}"${source}${didYouMean(kind, known)} (${list}; or give module: PATH for your own collector)`;
}
