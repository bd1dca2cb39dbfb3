import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { episodeViews } from './episode-views';
import { atS } from './synthetic-episode';

const COUNTING_MODULE = join(__dirname, '..', 'fixtures', 'collectors', 'counting.js');

test("a module: collector's declared counter is a rate on the grid, its other fields gauges", async (t) => {
  const db = await episodeViews(t, {
    vm: 'vm1',
    episode: 'ep',
    durationS: 3,
    sources: [
      {
        name: 'app',
        kind: 'counting',
        deployable: true,
        modulePath: COUNTING_MODULE,
        rows: [
          { t_mono_ns: atS(0.5), requests: 100, queue: 4 },
          { t_mono_ns: atS(1.5), requests: 400, queue: 6 },
          { t_mono_ns: atS(2.0), requests: 500, queue: 2 },
          { t_mono_ns: atS(2.5), requests: 900, queue: 0 },
        ],
      },
    ],
  });
  const rows = await db.rows('SELECT bin::INTEGER AS bin, "app.requests" AS requests, "app.queue" AS queue FROM features ORDER BY bin');
  // Bin 1: 300 over 1 s; bin 2: (100 + 400) over 0.5 s + 0.5 s.
  assert.deepEqual(rows, [
    { bin: 0, requests: null, queue: 4 },
    { bin: 1, requests: 300, queue: 6 },
    { bin: 2, requests: 500, queue: 1 },
  ]);
});
