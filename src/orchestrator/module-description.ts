// A user's `module:` is the user's code: the config loader never runs it in the orchestrator's
// thread, where a module that blocks, throws at load or changes a global would take the episode
// with it. A worker loads it, checks the entry's options against its schema there (its custom
// checks are functions, which cannot cross threads) and sends back what the loader needs.
import type { CollectorDefinition } from '../collectors/contract';
import { checkOptions, type MappingPlace } from '../config/check-options';
import type { KeyPath } from '../config/key-path';
import { VmtelError, type ErrorCode } from '../errors';
import { loadCollectorModule } from './load-collector-module';

/** What the loader sends: the module and the entry's options as the file holds them. */
export interface DescribeRequest {
  modulePath: string;
  mapping: Record<string, unknown>;
  place: Omit<MappingPlace, 'problems'>;
}

/** What the loader needs of a module, its options checked. */
export type ModuleDescription =
  | {
      ok: true;
      definition: Omit<CollectorDefinition, 'run' | 'options'>;
      optionNames: string[];
      options: Record<string, unknown>;
      problems: Array<{ at: KeyPath; message: string }>;
    }
  | { ok: false; code: ErrorCode; message: string };

/** In the worker: loads the module and checks `mapping` against its schema. */
export async function describeModule(request: DescribeRequest): Promise<ModuleDescription> {
  let definition: CollectorDefinition;
  try {
    definition = await loadCollectorModule(request.modulePath);
  } catch (err) {
    return { ok: false, code: err instanceof VmtelError ? err.code : 'VMTEL_MODULE_INVALID', message: (err as Error).message };
  }
  const problems: Array<{ at: KeyPath; message: string }> = [];
  const place = { ...request.place, problems: { add: (at: KeyPath, message: string) => void problems.push({ at, message }) } };
  const options = checkOptions(request.mapping, definition.options, place);
  const { kind, description, defaultOutput, defaultAvailableInDeployment, stats } = definition;
  return {
    ok: true,
    definition: { kind, description, defaultAvailableInDeployment, ...(defaultOutput === undefined ? {} : { defaultOutput }), ...(stats === undefined ? {} : { stats }) },
    optionNames: Object.keys(definition.options),
    options,
    problems,
  };
}
