// `vmtel tap` beside a real `vmtel run`: it prints the rows as they are written, whole and in
// order, only those of the asked source, and ends by itself when the episode does.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { requestControl } from '../../src/live/control-client';
import { readJsonl } from '../helpers/jsonl';
import { tempDir } from '../helpers/temp-dir';
import { runVmtel, startVmtel } from '../helpers/vmtel-process';
import { waitFor, withDeadline } from '../helpers/wait-for';
import { fixtureEntry, startLiveEpisode, writeLiveConfig } from './live-episode';

test('tap prints the rows of one source as they are written and ends with the episode', async (t) => {
  const dir = tempDir(t);
  const config = writeLiveConfig(dir, fixtureEntry('tick', 'ticking', { interval_ms: 5 }) + fixtureEntry('other', 'ticking', { interval_ms: 5 }));
  const episode = await startLiveEpisode(t, dir, config);
  const tap = startVmtel(t, ['tap', '--run-dir', episode.runDir, '--source', 'tick']);
  await waitFor('tap to print 50 rows', () => tap.stdout().split('\n').length > 50, 10_000);
  await requestControl(episode.runDir, { op: 'stop', reason: 'done' });
  assert.equal(await withDeadline('vmtel to stop', episode.vmtel.exited, 10_000), 0);
  assert.equal(await withDeadline('tap to end with the episode', tap.exited, 5000), 0, tap.stderr());

  const file = readFileSync(join(episode.runDir, 'telemetry-tick.jsonl'), 'utf8');
  const tapped = tap.stdout();
  assert.ok(tapped.endsWith('\n'));
  // What tap printed is the file's tail from where it started, byte for byte: no line torn,
  // skipped, repeated or taken from the other source.
  assert.ok(file.endsWith(tapped), 'tap printed a contiguous tail of the file');
  assert.ok(file.indexOf(tapped) === 0 || file[file.length - tapped.length - 1] === '\n', 'starting at a line');
  assert.ok(tapped.split('\n').length > 50);
  // The writer did not notice: every row in sequence.
  const rows = readJsonl(join(episode.runDir, 'telemetry-tick.jsonl'));
  assert.deepEqual(rows.map((r) => r['seq']), rows.map((_, i) => i));
});

test('tap: an unknown source is named; nothing recording is exit 5', async (t) => {
  const dir = tempDir(t);
  const episode = await startLiveEpisode(t, dir, writeLiveConfig(dir, fixtureEntry('tick', 'ticking')));
  const unknown = await runVmtel(t, ['tap', '--run-dir', episode.runDir, '--source', 'nope']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /--source: no collector nope in this episode; it has tick \[VMTEL_USAGE\]/);
  await requestControl(episode.runDir, { op: 'stop', reason: 'done' });
  await withDeadline('vmtel to stop', episode.vmtel.exited, 10_000);
  const none = await runVmtel(t, ['tap', '--run-dir', episode.runDir]);
  assert.equal(none.code, 5);
  assert.match(none.stderr, /\[VMTEL_NOT_RECORDING\]/);
});
