import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ControlBlock } from '../../src/control/control-block';
import { measureWallAnchor } from '../../src/control/wall-anchor';
import { EventLog } from '../../src/orchestrator/event-log';
import { recordWallAnchors } from '../../src/orchestrator/wall-anchor-events';
import { parseExactJson } from '../../src/sink/exact-json';
import { readLines } from '../helpers/jsonl';
import { tempDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait-for';

test('the anchor in use at start, then a new measurement on schedule, never in use; none after the stop', async (t) => {
  const path = join(tempDir(t), 'events.jsonl');
  const anchor = measureWallAnchor();
  const events = new EventLog(path, ControlBlock.create(undefined, { wallOffsetNs: anchor.offsetNs }), 0o640, { log: () => undefined, endEpisode: () => undefined });
  t.after(() => events.close());
  // Parsed exactly: the offsets are 19-digit integers.
  const anchorsOf = (): Array<Record<string, unknown>> =>
    readLines(path)
      .map((line) => parseExactJson(line) as Record<string, unknown>)
      .filter((e) => e['event'] === 'wall_anchor');

  const stop = recordWallAnchors(events, anchor, 50);
  const seen = await waitFor('three wall_anchor events, 50 ms apart', () => (anchorsOf().length >= 3 ? anchorsOf() : false), 10_000);
  stop();
  const [first, ...later] = seen;
  assert.equal(first!['in_use'], true);
  assert.equal(BigInt(first!['change_ns'] as number | bigint), 0n);
  assert.equal(BigInt(first!['offset_ns'] as number | bigint), anchor.offsetNs);
  for (const measured of later) {
    assert.equal(measured['in_use'], false);
    // The same clocks a few ms apart: the wall clock has not moved from the anchor beyond both bounds.
    const bound = Number(anchor.uncertaintyNs) + Number(measured['uncertainty_ns']) + 1000;
    assert.ok(Math.abs(Number(measured['change_ns'])) <= bound, `change_ns ${String(measured['change_ns'])} within ${bound} ns`);
  }
  const stoppedAt = anchorsOf().length;
  const afterStopMs = Date.now();
  await waitFor('four intervals after the stop', () => Date.now() - afterStopMs > 200, 5000);
  assert.equal(anchorsOf().length, stoppedAt, 'no measurement after the stop');
});
