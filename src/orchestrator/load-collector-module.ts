// Loads a module that exports a collector definition, built-in or a user's `module:` file (ESM
// or CommonJS), and checks its shape before anything runs it.
import { pathToFileURL } from 'node:url';
import type { CollectorDefinition } from '../collectors/contract';
import { VmtelError } from '../errors';

/** The module's `collector` export (or default export), checked to be a collector definition. */
export async function loadCollectorModule(modulePath: string): Promise<CollectorDefinition> {
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(pathToFileURL(modulePath).href)) as Record<string, unknown>;
  } catch (err) {
    throw new VmtelError('VMTEL_MODULE_INVALID', `cannot load collector module ${modulePath}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const defaultExport = loaded['default'] as Record<string, unknown> | undefined;
  const candidate = loaded['collector'] ?? defaultExport?.['collector'] ?? defaultExport;
  const problem = definitionProblem(candidate);
  if (problem !== null) {
    throw new VmtelError('VMTEL_MODULE_INVALID', `collector module ${modulePath} ${problem}`);
  }
  return candidate as CollectorDefinition;
}

function definitionProblem(candidate: unknown): string | null {
  if (typeof candidate !== 'object' || candidate === null) return 'exports no `collector` object';
  const definition = candidate as Record<string, unknown>;
  if (typeof definition['run'] !== 'function') return 'exports a `collector` without a run(ctx) function';
  if (typeof definition['kind'] !== 'string') return 'exports a `collector` without a string `kind`';
  if (typeof definition['options'] !== 'object' || definition['options'] === null) {
    return 'exports a `collector` without an `options` schema (use {} for none)';
  }
  return null;
}
