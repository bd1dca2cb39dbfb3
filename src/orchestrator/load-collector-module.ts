// Loads a module that exports a collector definition, built-in or a user's `module:` file (ESM
// or CommonJS), and checks its shape before anything runs it.
import { pathToFileURL } from 'node:url';
import type { CollectorDefinition } from '../collectors/contract';
import { VmtelError } from '../errors';

/** The module's `collector` export (or default export), checked to be a collector definition. */
export async function loadCollectorModule(modulePath: string): Promise<CollectorDefinition> {
  let loaded: Record<string, unknown>;
  try {
    loaded = await importModule(modulePath);
  } catch (err) {
    throw new VmtelError('VMTEL_MODULE_INVALID', `cannot load collector module ${modulePath}: ${firstLine((err as Error).message)}`, {
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

// require() first: every built-in collector is CommonJS, and the ESM loader that import() starts
// costs a worker about 20 ms of its start. An ES module that require() refuses (a Node before
// 20.19, or one with top-level await) goes through import().
const ESM_ONLY_CODES = new Set(['ERR_REQUIRE_ESM', 'ERR_REQUIRE_ASYNC_MODULE']);

async function importModule(modulePath: string): Promise<Record<string, unknown>> {
  try {
    const exports = require(modulePath) as Record<string, unknown>;
    // Node ≥ 20.19 also require()s an ES module: its namespace is taken as it is. A CommonJS
    // module is presented as import() would: its exports are also its default export.
    if (Object.prototype.toString.call(exports) === '[object Module]') return exports;
    return { ...exports, default: exports };
  } catch (err) {
    if (!ESM_ONLY_CODES.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
    return (await import(pathToFileURL(modulePath).href)) as Record<string, unknown>;
  }
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

// require() appends its "Require stack:" on further lines; a user's error is one line.
function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? text;
}
