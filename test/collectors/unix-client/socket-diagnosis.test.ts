import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { diagnoseSocket } from '../../../src/collectors/unix-client/socket-diagnosis';
import { NOBODY_SKIP, nodeAsNobody } from '../../helpers/as-nobody';
import { tempDir } from '../../helpers/temp-dir';
import { waitFor, withDeadline } from '../../helpers/wait-for';

const QEMU_ARG = '-qmp unix:X,server=on,wait=off';

// The errno connect(2) gives for `path`, as a collector meets it.
function connectError(path: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = createConnection({ path });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

test('each way a socket path can be wrong gets its own diagnosis', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'file.sock');
  writeFileSync(file, 'x');
  const folder = join(dir, 'folder.sock');
  mkdirSync(folder);
  // A socket left by a process that was killed: the file stays, nobody listens.
  const stale = join(dir, 'stale.sock');
  const holder = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(stale)})`]);
  t.after(() => holder.kill('SIGKILL'));
  await waitFor('the socket to be bound', () => existsSync(stale));
  holder.kill('SIGKILL');
  await withDeadline('the holder to die', new Promise((resolve) => holder.once('exit', resolve)));

  const cases: Array<[string, RegExp]> = [
    [join(dir, 'absent.sock'), /absent\.sock does not exist: QEMU has not created it yet \(not started\?\), or its command line names another path \(-qmp unix:X,server=on,wait=off\)$/],
    [file, /file\.sock is a regular file, not a socket: remove it and let QEMU create the socket/],
    [folder, /folder\.sock is a folder, not a socket/],
    [stale, /stale\.sock refuses connections: no QEMU listens on it \(it exited and left the socket, or is still starting\)$/],
    [join(file, 'below.sock'), /below\.sock: a component of the path is not a folder$/],
    [join(dir, 'x'.repeat(120)), /the path is too long for a unix socket \(at most 107 bytes\)$/],
  ];
  for (const [path, expected] of cases) {
    const code = await connectError(path);
    assert.match(diagnoseSocket(path, code, QEMU_ARG), expected, `${path}: ${code}`);
  }
  // Root connects regardless of modes, so permission is shown from its errno alone.
  assert.match(diagnoseSocket('/run/q.sock', 'EACCES', QEMU_ARG), /^\/run\/q\.sock: permission denied \(EACCES\): vmtel \(uid \d+\) needs write access/);
});

test('the rarer answers: a FIFO, a path of exactly 107 bytes, a socket gone before it was looked at, EPERM, an errno with no advice', async (t) => {
  const dir = tempDir(t);
  const fifo = join(dir, 'fifo.sock');
  const mkfifo = spawn('mkfifo', [fifo]);
  assert.equal(await withDeadline('mkfifo to exit', new Promise((resolve) => mkfifo.once('exit', resolve))), 0);
  assert.equal(await connectError(fifo), 'ECONNREFUSED');
  assert.equal(diagnoseSocket(fifo, 'ECONNREFUSED', QEMU_ARG), `${fifo} is a special file, not a socket: remove it and let QEMU create the socket (${QEMU_ARG})`);
  // sun_path's 108 bytes hold 107 and the NUL: such a path is diagnosed as what it is, not as too long.
  const longest = join(dir, 'x'.repeat(107 - Buffer.byteLength(dir) - 1));
  assert.equal(Buffer.byteLength(longest), 107);
  assert.match(diagnoseSocket(longest, await connectError(longest), QEMU_ARG), /x does not exist: QEMU has not created it yet/);
  // Refused, then removed before the diagnosis looked: still a socket nobody listens on.
  const gone = join(dir, 'gone.sock');
  assert.equal(diagnoseSocket(gone, 'ECONNREFUSED', QEMU_ARG), `${gone} refuses connections: no QEMU listens on it (it exited and left the socket, or is still starting)`);
  assert.match(diagnoseSocket(gone, 'EPERM', QEMU_ARG), /gone\.sock: permission denied \(EPERM\): vmtel \(uid \d+\)/);
  assert.equal(diagnoseSocket(gone, 'EPROTOTYPE', QEMU_ARG), `${gone}: EPROTOTYPE`);
});

test('permission denied names the uid vmtel runs as', { skip: NOBODY_SKIP }, () => {
  const script = `process.stdout.write(require(${JSON.stringify(require.resolve('../../../src/collectors/unix-client/socket-diagnosis'))}).diagnoseSocket('/run/q/qmp.sock', 'EACCES', '-qmp unix:/run/q/qmp.sock'))`;
  const asNobody = nodeAsNobody(['-e', script]);
  assert.equal(
    asNobody.stdout,
    '/run/q/qmp.sock: permission denied (EACCES): vmtel (uid 65534) needs write access to the socket and search access to its folders; run QEMU and vmtel as one user or group',
    asNobody.stderr,
  );
});
