// `vmtel-agent.sh mark` beside a running agent on this host (a FIFO plays the guest's port, as in
// the real-VM tests): the marker is sent through the port as one row after the next sample, in
// the order the marks were made, and a bad name is refused before anything is left to send.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait-for';
import { fifoPorts } from '../vm/helpers/fifo-port';

const AGENT = join(__dirname, '..', '..', '..', 'guest', 'agent', 'vmtel-agent.sh');
const PORT_NAME = 'cis490.guest.agent';

test('vmtel-agent.sh mark: the running agent sends each marker as a row, in order', async (t) => {
  const dir = tempDir(t);
  const ports = fifoPorts(t, dir);
  const port = ports.add('vport0p1', PORT_NAME);
  const reader = ports.read(port);
  let text = '';
  reader.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...ports.env, VMTEL_AGENT_INTERVAL_S: '0.1', VMTEL_AGENT_MARKS_DIR: join(dir, 'marks') };
  const agent = spawn('sh', [AGENT], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  t.after(() => agent.kill('SIGKILL'));
  const rows = (): Array<Record<string, unknown>> =>
    text
      .split('\n')
      .slice(0, -1)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  await waitFor('a sample row', () => rows().length > 0);

  const mark = (...args: string[]) => spawnSync('sh', [AGENT, 'mark', ...args], { env, encoding: 'utf8' });
  assert.equal(mark('--phase', 'attack').status, 0);
  assert.equal(mark('exfil:stage2').status, 0);
  await waitFor('both markers through the port', () => rows().filter((r) => 'marker' in r).length === 2);
  const all = rows();
  const markers = all.filter((r) => 'marker' in r);
  assert.deepEqual(
    markers.map((m) => [m['marker'], m['phase']]),
    [
      ['attack', true],
      ['exfil:stage2', false],
    ],
  );
  for (const marker of markers) {
    assert.deepEqual(Object.keys(marker), ['marker', 'phase', 't_guest_mono_ns', 't_guest_wall_ns']);
    assert.equal(typeof marker['t_guest_mono_ns'], 'number');
  }
  assert.ok((markers[0]!['t_guest_mono_ns'] as number) <= (markers[1]!['t_guest_mono_ns'] as number));
  // Each follows a sample row: the markers ride the agent's own writes.
  assert.ok('seq' in all[all.indexOf(markers[0]!) - 1]!);
  assert.deepEqual(readdirSync(join(dir, 'marks')), [], 'nothing is left to send');

  for (const bad of [['has space'], ['-x'], ['a"b'], ['x'.repeat(65)], ['a', 'b']]) {
    const refused = mark(...bad);
    assert.equal(refused.status, 2, `mark ${bad.join(' ')}`);
    assert.match(refused.stderr, /vmtel-agent: mark: /);
  }
  assert.deepEqual(readdirSync(join(dir, 'marks')), [], 'a refused mark leaves nothing');
  assert.ok(existsSync(port));
});
