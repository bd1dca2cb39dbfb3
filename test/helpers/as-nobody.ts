// Runs Node as the user nobody, for behaviour that differs for a user who is not root (a file of
// root's refused, the uid named in a message): root passes every permission check, so the tests
// that show these run as root and start their Node as nobody.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';

const NOBODY = 65534;

/** Why a test cannot run here, or false when it can (`{ skip: NOBODY_SKIP }`). */
export const NOBODY_SKIP: string | false = process.geteuid?.() === 0 ? false : 'running a process as another user needs root';

/** `node args...` as nobody, to its end; stdout and stderr as text. */
export function nodeAsNobody(args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, args, { uid: NOBODY, gid: NOBODY, encoding: 'utf8', timeout: 20_000 });
}
