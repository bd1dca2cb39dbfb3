// Loads the fleet commands' code when one of them runs. The file is found beside this one: in the
// compiled tree both are in dist/src/fleet/, in the bundle both are in dist/bundle/ (the build
// makes fleet-cli.js an entry of its own), the way the worker entries are found.
//
// A bundle of its own carries its own copy of vmtel's error classes: an error it throws is not an
// instance of this bundle's VmtelError, and the CLI would print a clear refusal as an internal
// error. Its errors are rebuilt here, in the caller's classes, with their code and message.
import { join } from 'node:path';
import { ConfigError, type ConfigProblem } from '../config/config-error';
import { ERROR_CODES, VmtelError, type ErrorCode } from '../errors';
import type { ArchiveArgs, ShipArgs } from './fleet-cli-args';

type FleetCli = typeof import('./fleet-cli');

export function loadFleetCli(): { shipRunDir(argv: ShipArgs): Promise<void>; archive(argv: ArchiveArgs): Promise<void> } {
  const cli = require(join(__dirname, 'fleet-cli.js')) as FleetCli;
  return {
    shipRunDir: (argv) => cli.shipRunDir(argv).catch(rethrowInOwnClasses),
    archive: (argv) => cli.archive(argv).catch(rethrowInOwnClasses),
  };
}

function rethrowInOwnClasses(err: unknown): never {
  if (err instanceof VmtelError || !(err instanceof Error) || err.name !== 'VmtelError') throw err;
  const { code, problems } = err as Error & { code?: unknown; problems?: unknown };
  if (Array.isArray(problems)) throw new ConfigError(problems as ConfigProblem[]);
  if (typeof code === 'string' && Object.hasOwn(ERROR_CODES, code)) throw new VmtelError(code as ErrorCode, err.message, { cause: err });
  throw err;
}
