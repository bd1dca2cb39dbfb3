// Markers on a real `vmtel run`: from several clients at once, each recorded once in order of
// arrival on the rows' timeline; a marker sent between two guest rows lands between them; and
// `vmtel mark` as a driver script calls it.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { requestControl } from '../../src/live/control-client';
import { AgentServer } from '../../src/sim/agent-server';
import { readJsonl } from '../helpers/jsonl';
import { tempDir } from '../helpers/temp-dir';
import { runVmtel } from '../helpers/vmtel-process';
import { waitFor, withDeadline } from '../helpers/wait-for';
import { fixtureEntry, startLiveEpisode, writeLiveConfig } from './live-episode';

const CLIENTS = 8;
const MARKS_PER_CLIENT = 25;

test('markers from several concurrent clients are each recorded once, in order of arrival', async (t) => {
  const dir = tempDir(t);
  const episode = await startLiveEpisode(t, dir, writeLiveConfig(dir, fixtureEntry('tick', 'ticking', { interval_ms: 2 })));
  // The socket answers before the workers start; the markers here are meant among the rows.
  await waitFor('a tick row on disk', () => readJsonl(join(episode.runDir, 'telemetry-tick.jsonl')).length > 0);
  const replies = await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      const stamps: bigint[] = [];
      for (let i = 0; i < MARKS_PER_CLIENT; i += 1) {
        const reply = await requestControl(episode.runDir, {
          op: 'mark',
          name: `c${client}`,
          labels: { i },
          client_monotonic_ns: process.hrtime.bigint(),
        });
        stamps.push(BigInt(reply['t_mono_ns'] as number));
      }
      return stamps;
    }),
  );
  await requestControl(episode.runDir, { op: 'stop', reason: 'done' });
  assert.equal(await withDeadline('vmtel to stop', episode.vmtel.exited, 10_000), 0, episode.vmtel.stderr());

  const markers = readJsonl(join(episode.runDir, 'events.jsonl')).filter((e) => e['event'] === 'marker');
  assert.equal(markers.length, CLIENTS * MARKS_PER_CLIENT, 'every marker once');
  const stamps = markers.map((m) => BigInt(m['t_mono_ns'] as number));
  for (let i = 1; i < stamps.length; i += 1) assert.ok(stamps[i]! >= stamps[i - 1]!, 'in order of arrival');
  for (let client = 0; client < CLIENTS; client += 1) {
    const own = markers.filter((m) => m['name'] === `c${client}`);
    assert.deepEqual(own.map((m) => (m['labels'] as { i: number }).i), Array.from({ length: MARKS_PER_CLIENT }, (_, i) => i), `client ${client}: each once, in its order`);
    assert.deepEqual(own.map((m) => BigInt(m['t_mono_ns'] as number)), replies[client], `client ${client}: the replies carry the recorded stamps`);
    for (const marker of own) {
      assert.equal(marker['source'], 'control');
      assert.equal(marker['phase'], false);
      const latencyNs = BigInt(marker['t_mono_ns'] as number) - BigInt(marker['client_t_mono_ns'] as number);
      assert.ok(latencyNs > 0n && latencyNs < 5_000_000_000n, `send-to-stamp latency ${latencyNs} ns`);
    }
  }
  // On the rows' timeline: after the tick row that was on disk before the first mark was sent,
  // before the stop that was requested after the last reply.
  const firstTickNs = BigInt(readJsonl(join(episode.runDir, 'telemetry-tick.jsonl'))[0]!['t_mono_ns'] as number);
  const stopNs = BigInt(readJsonl(join(episode.runDir, 'events.jsonl')).find((e) => e['event'] === 'stop_requested')!['t_mono_ns'] as number);
  assert.ok(firstTickNs < stamps[0]! && stamps.at(-1)! < stopNs);
});

test('a marker sent between two guest rows is stamped between them', async (t) => {
  const dir = tempDir(t);
  const runDir = join(dir, 'run');
  mkdirSync(runDir);
  const agent = await AgentServer.listen(join(runDir, 'agent.sock'));
  t.after(() => agent.close());
  const episode = await startLiveEpisode(t, dir, writeLiveConfig(dir, '  guest_agent:\n    kind: guest_agent\n    flush_ms: 1\n'));
  await agent.waitForClient();
  const guestRows = (): Array<Record<string, unknown>> => readJsonl(join(runDir, 'telemetry-guest.jsonl'));
  for (let round = 0; round < 3; round += 1) {
    await agent.send(`{"seq":${2 * round}}\n`);
    await waitFor(`guest row ${2 * round} on disk`, () => guestRows().length === 2 * round + 1);
    await requestControl(runDir, { op: 'mark', name: `between-${round}`, phase: true });
    await agent.send(`{"seq":${2 * round + 1}}\n`);
    await waitFor(`guest row ${2 * round + 1} on disk`, () => guestRows().length === 2 * round + 2);
  }
  await requestControl(runDir, { op: 'stop', reason: 'done' });
  assert.equal(await withDeadline('vmtel to stop', episode.vmtel.exited, 10_000), 0, episode.vmtel.stderr());
  const rows = guestRows().map((r) => BigInt(r['t_mono_ns'] as number));
  const markers = readJsonl(join(runDir, 'events.jsonl')).filter((e) => e['event'] === 'marker');
  assert.equal(markers.length, 3);
  markers.forEach((marker, round) => {
    const at = BigInt(marker['t_mono_ns'] as number);
    assert.equal(marker['phase'], true);
    assert.ok(rows[2 * round]! < at && at < rows[2 * round + 1]!, `marker ${round} between guest rows ${2 * round} and ${2 * round + 1}`);
  });
});

test('vmtel mark: prints the stamp; bad names and labels are refused; exit 5 with nothing recording', async (t) => {
  const dir = tempDir(t);
  const episode = await startLiveEpisode(t, dir, writeLiveConfig(dir, fixtureEntry('tick', 'ticking')));
  const marked = await runVmtel(t, ['mark', '--run-dir', episode.runDir, '--phase', 'attack', '--label', 'sample=wannacry', '--label', 'stage=1']);
  assert.equal(marked.code, 0, marked.stderr);
  const stamp = /^marked phase attack at t_mono_ns=(\d+) t_wall_ns=(\d+) \(\S+Z\) \([\d.]+ ms after sending\)\n$/.exec(marked.stdout);
  assert.ok(stamp !== null, marked.stdout);
  for (const [args, message] of [
    [['bad name'], /NAME: expected a marker name .*got "bad name" \[VMTEL_USAGE\]/],
    [['ok', '--label', 'novalue'], /--label: expected KEY=VALUE, got "novalue" \[VMTEL_USAGE\]/],
    [['ok', '--label', '1key=v'], /--label: label key "1key": expected .* \[VMTEL_USAGE\]/],
    [['ok', '--label', `k=${'v'.repeat(300)}`], /--label: expected a string of at most 256 characters.*got 300 characters \[VMTEL_USAGE\]/],
  ] as const) {
    const refused = await runVmtel(t, ['mark', '--run-dir', episode.runDir, ...args]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, message);
  }
  await requestControl(episode.runDir, { op: 'stop', reason: 'done' });
  assert.equal(await withDeadline('vmtel to stop', episode.vmtel.exited, 10_000), 0);
  const markers = readJsonl(join(episode.runDir, 'events.jsonl')).filter((e) => e['event'] === 'marker');
  assert.equal(markers.length, 1, 'only the good marker');
  assert.deepEqual(markers[0], {
    t_mono_ns: Number(stamp[1]),
    t_wall_ns: Number(stamp[2]),
    source: 'control',
    event: 'marker',
    name: 'attack',
    phase: true,
    labels: { sample: 'wannacry', stage: '1' },
    client_t_mono_ns: markers[0]!['client_t_mono_ns'],
  });
  assert.equal(typeof markers[0]!['client_t_mono_ns'], 'number');
  const none = await runVmtel(t, ['mark', '--run-dir', episode.runDir, 'late']);
  assert.equal(none.code, 5);
  assert.match(none.stderr, /^vmtel: no vmtel is recording in .*run \(no control socket\) \[VMTEL_NOT_RECORDING\]\n$/);
});
