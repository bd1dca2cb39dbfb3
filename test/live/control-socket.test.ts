// The control socket of a real `vmtel run`: its mode and life, its refusals at start, and every
// bad input of docs/control.md answered (or the client dropped), counted, and harmless to the
// recording, which is checked whole afterwards.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { requestControl } from '../../src/live/control-client';
import { MAX_LINE_BYTES } from '../../src/live/control-connection';
import { MAX_CLIENTS } from '../../src/live/control-server';
import { readManifest } from '../../src/orchestrator/manifest';
import { readJsonl } from '../helpers/jsonl';
import { tempDir } from '../helpers/temp-dir';
import { runVmtel } from '../helpers/vmtel-process';
import { waitFor, withDeadline } from '../helpers/wait-for';
import { fixtureEntry, startLiveEpisode, writeLiveConfig } from './live-episode';

/** A raw client: what it sends goes as is; replies are collected line by line. */
function rawClient(path: string): { socket: Socket; replies: () => Array<Record<string, unknown>>; closed: Promise<void> } {
  const socket = connect(path);
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const replies = (): Array<Record<string, unknown>> =>
    text
      .split('\n')
      .slice(0, -1)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { socket, replies, closed };
}

const errorCode = (reply: Record<string, unknown> | undefined): unknown => (reply?.['error'] as { code?: unknown } | undefined)?.code;

test('the socket is 0600 while recording and gone after; labels reach the manifest and episode_started', async (t) => {
  const dir = tempDir(t);
  const config = writeLiveConfig(dir, fixtureEntry('tick', 'ticking'), 'labels:\n  workload: ransomware\n  malicious: true\n  trial: 3\n');
  const episode = await startLiveEpisode(t, dir, config);
  const socketPath = join(episode.runDir, 'control.sock');
  const stat = statSync(socketPath);
  assert.ok(stat.isSocket());
  assert.equal(stat.mode & 0o777, 0o600);
  const labels = { workload: 'ransomware', malicious: true, trial: 3 };
  assert.deepEqual(readManifest(episode.runDir)?.labels, labels);
  const reply = await requestControl(episode.runDir, { op: 'stop', reason: 'test over' });
  assert.equal(reply['already_stopping'], false);
  assert.equal(await withDeadline('vmtel to stop on request', episode.vmtel.exited, 10_000), 0, episode.vmtel.stderr());
  assert.ok(!existsSync(socketPath), 'the socket is removed at stop');
  const events = readJsonl(join(episode.runDir, 'events.jsonl'));
  assert.deepEqual(events.find((e) => e['event'] === 'episode_started')?.['labels'], labels);
  const stop = events.find((e) => e['event'] === 'stop_requested');
  assert.equal(stop?.['reason'], 'test over');
  assert.equal(stop?.['requested_by'], 'control');
  const manifest = readManifest(episode.runDir)!;
  assert.equal(manifest.stop_reason, 'test over');
  assert.deepEqual(manifest.labels, labels);
});

test('a control.sock that is not a stale socket stops the start; a stale one is replaced', async (t) => {
  const dir = tempDir(t);
  const runDir = join(dir, 'run');
  const config = writeLiveConfig(dir, fixtureEntry('tick', 'ticking'));
  const { mkdirSync } = await import('node:fs');
  mkdirSync(runDir);
  writeFileSync(join(runDir, 'control.sock'), 'not a socket\n');
  const refused = await runVmtel(t, ['run', '--config', config, '--duration', '0.3']);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /control\.sock: it exists and is not a socket; .*\[VMTEL_CONTROL_SOCKET_UNAVAILABLE\]/);
  assert.equal(readFileSync(join(runDir, 'control.sock'), 'utf8'), 'not a socket\n', 'the file is left as it was');
  assert.ok(!existsSync(join(runDir, 'vmtel.lock')));

  // A socket whose server was killed: nobody answers, so it is vmtel's to replace.
  const { rmSync } = await import('node:fs');
  rmSync(join(runDir, 'control.sock'));
  const holder = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(join(runDir, 'control.sock'))}, () => console.log('up'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => holder.kill('SIGKILL'));
  await new Promise((resolve) => holder.stdout.once('data', resolve));
  holder.kill('SIGKILL');
  await new Promise((resolve) => holder.once('exit', resolve));
  assert.ok(statSync(join(runDir, 'control.sock')).isSocket(), 'a stale socket is left behind');
  const started = await runVmtel(t, ['run', '--config', config, '--duration', '0.3']);
  assert.equal(started.code, 0, started.stderr);
  assert.ok(!existsSync(join(runDir, 'control.sock')));
});

test('every bad input is answered or dropped, counted, and costs the recording nothing', async (t) => {
  const dir = tempDir(t);
  const config = writeLiveConfig(dir, fixtureEntry('tick', 'ticking', { interval_ms: 5 }) + fixtureEntry('fast', 'ticking', { interval_ms: 1 }));
  const episode = await startLiveEpisode(t, dir, config);
  const path = join(episode.runDir, 'control.sock');

  // One client sends every malformed request; each gets exactly one reply, in order.
  const bad = rawClient(path);
  const requests = [
    'not json at all',
    '[1,2,3]',
    '"a string"',
    '{"op":"reboot"}',
    '{"name":"x"}',
    '{"op":"mark"}',
    '{"op":"mark","name":"has space"}',
    '{"op":"mark","name":"ok","phase":"yes"}',
    '{"op":"mark","name":"ok","labels":[1]}',
    '{"op":"mark","name":"ok","labels":{"k":{"nested":1}}}',
    '{"op":"mark","name":"ok","client_monotonic_ns":-5}',
    '{"op":"mark","name":"ok","extra":1}',
    '{"op":"stop"}',
    '{"op":"stop","reason":""}',
    '{"op":"status","id":{"x":1}}',
  ];
  bad.socket.write(requests.map((r) => `${r}\n`).join(''));
  await waitFor('a reply to every bad request', () => bad.replies().length === requests.length);
  const codes = bad.replies().map(errorCode);
  assert.deepEqual(codes, [
    'VMTEL_CONTROL_BAD_JSON',
    'VMTEL_CONTROL_BAD_REQUEST',
    'VMTEL_CONTROL_BAD_REQUEST',
    'VMTEL_CONTROL_UNKNOWN_OP',
    ...Array(11).fill('VMTEL_CONTROL_BAD_REQUEST'),
  ]);
  for (const reply of bad.replies()) assert.equal(reply['ok'], false);
  // The connection still serves a good request after bad ones.
  bad.socket.write('{"op":"status","id":7}\n');
  await waitFor('the status reply', () => bad.replies().length === requests.length + 1);
  assert.equal(bad.replies().at(-1)?.['ok'], true);
  assert.equal(bad.replies().at(-1)?.['id'], 7);
  // Blank lines are no requests and get no reply; a CRLF line is a request like any other.
  bad.socket.write('\n\r\n{"op":"status","id":"crlf"}\r\n');
  await waitFor('the CRLF reply', () => bad.replies().length === requests.length + 2);
  assert.equal(bad.replies().at(-1)?.['id'], 'crlf');

  // A line over 64 KiB: told so, then disconnected.
  const long = rawClient(path);
  long.socket.write(`{"op":"mark","name":"${'x'.repeat(MAX_LINE_BYTES)}"}\n`);
  await withDeadline('the long-line client to be dropped', long.closed);
  assert.deepEqual(long.replies().map(errorCode), ['VMTEL_CONTROL_LINE_TOO_LONG']);

  // Sixteen clients that connect and send nothing: the seventeenth is told there is no room;
  // the sixteen are dropped after the idle timeout.
  bad.socket.destroy();
  await bad.closed;
  const idle = Array.from({ length: MAX_CLIENTS }, () => rawClient(path));
  await Promise.all(idle.map((c) => new Promise((resolve) => c.socket.once('connect', resolve))));
  // The server accepts connections in the order they came: the 16 are in before the 17th.
  const extra = rawClient(path);
  await withDeadline('the 17th client to be turned away', extra.closed);
  assert.deepEqual(extra.replies().map(errorCode), ['VMTEL_CONTROL_BUSY']);
  await withDeadline('the idle clients to be dropped', Promise.all(idle.map((c) => c.closed)), 15_000);
  for (const client of idle) assert.deepEqual(client.replies(), [], 'an idle client gets no reply');

  const status = (await requestControl(episode.runDir, { op: 'status' }))['status'] as { control: { rejected: Record<string, number> } };
  assert.deepEqual(status.control.rejected, { bad_json: 1, bad_request: 13, unknown_op: 1, line_too_long: 1, too_many_clients: 1, idle_timeout: MAX_CLIENTS });

  await requestControl(episode.runDir, { op: 'stop', reason: 'bad input done' });
  assert.equal(await withDeadline('vmtel to stop', episode.vmtel.exited, 10_000), 0, episode.vmtel.stderr());
  // The recording is whole: every row of both collectors, in sequence, counted exactly.
  const manifest = readManifest(episode.runDir)!;
  for (const name of ['tick', 'fast']) {
    const rows = readJsonl(join(episode.runDir, `telemetry-${name}.jsonl`));
    assert.ok(rows.length > 0);
    assert.deepEqual(rows.map((r) => r['seq']), rows.map((_, i) => i), `${name}: no row lost`);
    assert.equal(manifest.collectors[name]?.rows, rows.length);
    assert.equal(manifest.collectors[name]?.restarts, 0);
  }
  const ticks = readJsonl(join(episode.runDir, 'telemetry-tick.jsonl')).map((r) => BigInt(r['t_mono_ns'] as number));
  for (let i = 1; i < ticks.length; i += 1) assert.ok(ticks[i]! > ticks[i - 1]!, 'stamps only go forward');
  assert.deepEqual(manifest.control?.rejected, status.control.rejected);
  const events = readJsonl(join(episode.runDir, 'events.jsonl'));
  const reported = events.filter((e) => e['event'] === 'control_input_rejected');
  const sum: Record<string, number> = {};
  for (const e of reported) for (const [reason, n] of Object.entries(e['rejected'] as Record<string, number>)) sum[reason] = (sum[reason] ?? 0) + n;
  assert.deepEqual(sum, status.control.rejected, 'every rejection is reported, rate-limited');
  assert.ok(reported.length <= 6, `rejections are summarised (${reported.length} events)`);
});
