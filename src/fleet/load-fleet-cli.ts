// Loads the fleet commands' code when one of them runs. The file is found beside this one: in the
// compiled tree both are in dist/src/fleet/, in the bundle both are in dist/bundle/ (the build
// makes fleet-cli.js an entry of its own), the way the worker entries are found.
import { join } from 'node:path';

export function loadFleetCli(): typeof import('./fleet-cli') {
  return require(join(__dirname, 'fleet-cli.js')) as typeof import('./fleet-cli');
}
