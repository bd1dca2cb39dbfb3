// Finds the definition behind a collector entry, a built-in kind or a user's `module:`, and
// checks the entry's options against its schema. A built-in kind is vmtel's own code, read in
// this thread; a user's module is loaded and checked in a worker (module-description.ts).
import { BUILT_IN_KIND_NAMES, builtInKind } from '../collectors/registry';
import type { CollectorDefinition } from '../collectors/contract';
import { describeInWorker } from '../orchestrator/worker-spawn';
import { checkOptions, type MappingPlace } from './check-options';
import { didYouMean } from './did-you-mean';
import type { KeyPath } from './key-path';
import type { ProblemList } from './problem-list';

export interface FoundDefinition {
  definition: Pick<CollectorDefinition, 'kind' | 'defaultOutput' | 'defaultAvailableInDeployment'>;
  /** The names of the kind's options. */
  optionNames: string[];
  /** The entry's options checked against the kind's schema (its problems are listed). */
  options: Record<string, unknown>;
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

/**
 * The definition `ref` names, with `mapping` (the entry's options) checked against it at `place`;
 * undefined when it names none, after adding the problem.
 */
export async function findDefinition(ref: DefinitionRef, mapping: Record<string, unknown>, place: MappingPlace & { problems: ProblemList }): Promise<FoundDefinition | undefined> {
  const { problems } = place;
  if (ref.modulePath !== undefined) {
    const { problems: _sink, ...where } = place;
    const described = await describeInWorker({ modulePath: ref.modulePath, mapping, place: where });
    if (!described.ok) {
      problems.add([...ref.at, 'module'], `${described.message} [${described.code}]`);
      return undefined;
    }
    for (const problem of described.problems) problems.add(problem.at, problem.message);
    return { definition: described.definition, optionNames: described.optionNames, options: described.options, modulePath: ref.modulePath };
  }
  const kind = ref.kind ?? ref.name;
  const definition = builtInKind(kind);
  if (definition !== undefined) {
    return { definition, optionNames: Object.keys(definition.options), options: checkOptions(mapping, definition.options, place), modulePath: undefined };
  }
  problems.add(ref.kind === undefined ? ref.at : [...ref.at, 'kind'], unknownKindMessage(kind, ref.kind === undefined));
  return undefined;
}

function unknownKindMessage(kind: string, fromName: boolean): string {
  const known = [...BUILT_IN_KIND_NAMES].sort();
  const source = fromName ? ' (the entry has no kind: key, so its name is taken as the kind)' : '';
  const list = known.length === 0 ? 'there are no built-in kinds' : `known kinds are ${known.join(', ')}`;
  return `unknown collector kind "${kind}"${source}${didYouMean(kind, known)} (${list}; or give module: PATH for your own collector)`;
}
