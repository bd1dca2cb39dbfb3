// The field rules of a source come from its collector's definition: a built-in kind's from the
// registry, a `module:` collector's from the user's module (still at the path the manifest
// recorded). A module that cannot be loaded leaves every field a gauge, and dataset.json says so.
import { builtInKind } from '../collectors/registry';
import { loadCollectorModule } from '../orchestrator/load-collector-module';
import type { SourceInput } from './episode-input';
import { fieldRules, type FieldRules } from './field-rules';

export interface SourceRules {
  rules: FieldRules;
  /** Why the counters are unknown, when they are. */
  note: string | null;
}

/** The rules of the source the episodes' entries `inputs` (one name) describe. */
export async function rulesOfSource(inputs: readonly SourceInput[]): Promise<SourceRules> {
  const first = inputs[0]!;
  if (first.modulePath === undefined) {
    const definition = builtInKind(first.kind);
    if (definition !== undefined) return { rules: fieldRules(definition.counters ?? [], true), note: null };
    return { rules: fieldRules([], false), note: `kind ${first.kind} is not a built-in kind of this vmtel: every field is taken as a gauge` };
  }
  try {
    const definition = await loadCollectorModule(first.modulePath);
    return { rules: fieldRules(definition.counters ?? [], false), note: null };
  } catch (err) {
    return { rules: fieldRules([], false), note: `${(err as Error).message}: every field is taken as a gauge` };
  }
}
