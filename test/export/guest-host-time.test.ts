import assert from 'node:assert/strict';
import { test } from 'node:test';
import { episodeViews } from './episode-views';
import { atS } from './synthetic-episode';

test('a guest row is placed on the grid by t_guest_host_ns when it has one, else by t_mono_ns', async (t) => {
  // Read late (t_mono_ns in bin 2), but stamped by the guest at a host time in bin 0 or 1.
  const db = await episodeViews(t, {
    vm: 'vm1',
    episode: 'ep',
    durationS: 3,
    sources: [
      {
        name: 'guest_agent',
        kind: 'guest_agent',
        deployable: true,
        rows: [
          { t_mono_ns: atS(2.1), t_guest_host_ns: atS(0.4), cpu_pct: 10 },
          { t_mono_ns: atS(2.2), t_guest_host_ns: atS(1.6), cpu_pct: 30 },
          { t_mono_ns: atS(2.3), t_guest_host_ns: null, cpu_pct: 50 },
        ],
      },
    ],
  });
  const rows = await db.rows('SELECT bin::INTEGER AS bin, "guest_agent.rows_in_bin"::INTEGER AS n, "guest_agent.cpu_pct" AS cpu FROM features ORDER BY bin');
  assert.deepEqual(rows, [
    { bin: 0, n: 1, cpu: 10 },
    { bin: 1, n: 1, cpu: 30 },
    { bin: 2, n: 1, cpu: 50 },
  ]);
});
