// A manifest rewrite on a full disk (a real tmpfs) is an event and a retry, never a crash: the
// manifest on disk stays the last whole one, no temp file is left, and the next rewrite after
// space is freed writes it and says so.
import assert from 'node:assert/strict';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ControlBlock } from '../../src/control/control-block';
import { EventLog } from '../../src/orchestrator/event-log';
import { readManifest, type Manifest } from '../../src/orchestrator/manifest';
import { ManifestKeeper } from '../../src/orchestrator/manifest-keeper';
import { readJsonl } from '../helpers/jsonl';
import { quietLogger } from '../helpers/quiet-logger';
import { tempDir } from '../helpers/temp-dir';
import { fillDisk, mountTmpfs, MOUNT_SKIP_REASON } from '../helpers/tmpfs';

function manifestOf(status: Manifest['status'], rows: number): Manifest {
  return { vm: 'vm1', episode: 'e1', status, t_mono_origin_ns: 1n, started_wall_ns: 2n, collectors: { tick: { rows } } } as unknown as Manifest;
}

test('a full disk: manifest_write_failed, the last whole manifest kept, then manifest_write_recovered', { skip: MOUNT_SKIP_REASON ?? false }, (t) => {
  const runDir = mountTmpfs(t, 64 * 1024);
  const events = new EventLog(join(runDir, 'events.jsonl'), ControlBlock.create(), 0o640, { log: () => undefined, endEpisode: () => assert.fail('a full disk is not a lost run dir') });
  const lost: string[] = [];
  const keeper = new ManifestKeeper(runDir, 0o640, events, quietLogger(), (code) => lost.push(code));
  assert.equal(keeper.write(manifestOf('running', 1)), true);
  const filler = fillDisk(runDir);
  assert.equal(keeper.write(manifestOf('running', 2)), false);
  assert.equal(keeper.write(manifestOf('running', 3)), false);
  assert.equal(readManifest(runDir)?.collectors['tick']?.rows, 1, 'the last whole manifest stays');
  assert.deepEqual(readdirSync(runDir).filter((f) => f.endsWith('.tmp')), [], 'no temp file left');
  rmSync(filler);
  assert.equal(keeper.write(manifestOf('stopped', 4)), true);
  events.close();
  assert.equal(readManifest(runDir)?.status, 'stopped');
  const names = readJsonl(join(runDir, 'events.jsonl')).map((e) => e['event']);
  assert.deepEqual(names.filter((n) => String(n).startsWith('manifest_')), ['manifest_write_failed', 'manifest_write_recovered']);
  const recovered = readJsonl(join(runDir, 'events.jsonl')).find((e) => e['event'] === 'manifest_write_recovered');
  assert.equal(recovered?.['failed_attempts'], 2);
  assert.deepEqual(lost, []);
});

test('a run dir that is gone: the episode is told (run_dir_lost), nothing thrown', (t) => {
  const runDir = join(tempDir(t), 'gone');
  const events = new EventLog(join(runDir, '..', 'events.jsonl'), ControlBlock.create(), 0o640, { log: () => undefined, endEpisode: () => undefined });
  const lost: string[] = [];
  const keeper = new ManifestKeeper(runDir, 0o640, events, quietLogger(), (code) => lost.push(code));
  assert.equal(keeper.write(manifestOf('running', 1)), false);
  events.close();
  assert.deepEqual(lost, ['ENOENT']);
});
