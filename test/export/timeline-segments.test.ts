// An episode continued after a host reboot: its second segment's t_mono_ns starts again near 0,
// on another boot's clock. The grid places each segment by its wall anchor (here 10 s after
// segment 0's start), rows, lists and phase markers alike, and never takes a counter's change
// across the reboot.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { episodeViews } from './episode-views';
import { atS } from './synthetic-episode';

const hostRow = (segment: number, tS: number, userMs: number, busy: number) => ({
  segment,
  t_mono_ns: atS(tS),
  cpu: { user_ms: userMs },
  procs_running: busy * 10,
  cpus: [{ cpu: 0, busy_fraction: busy }],
});

test('each timeline segment of an episode is placed on its one timeline by its wall anchor', async (t) => {
  const db = await episodeViews(t, {
    vm: 'vm1',
    episode: 'ep',
    durationS: 13,
    segmentEpochsS: [0, 10],
    sources: [
      {
        name: 'host',
        kind: 'host',
        deployable: false,
        // After the reboot the counter is higher than before it: only the segment tells the
        // interval across the reboot apart (it would read as (1000 - 100) / 9 s otherwise).
        rows: [hostRow(0, 0.5, 0, 0.1), hostRow(0, 1.5, 100, 0.2), hostRow(1, 0.5, 1000, 0.3), hostRow(1, 1.5, 1200, 0.4), hostRow(1, 2.5, 1400, 0.5)],
      },
    ],
    events: [
      { segment: 0, t_mono_ns: atS(0.2), source: 'control', event: 'marker', name: 'boot', phase: true, labels: {} },
      { segment: 1, t_mono_ns: atS(0.7), source: 'control', event: 'marker', name: 'attack', phase: true, labels: {} },
    ],
  });
  const rows = await db.rows(
    `SELECT bin::INTEGER AS bin, phase, "host.rows_in_bin"::INTEGER AS n, "host.cpu.user_ms" AS user_rate, "host.procs_running" AS running, "host.cpus.cpu=0.busy_fraction" AS busy FROM features ORDER BY bin`,
  );
  const empty = (bin: number) => ({ bin, phase: 'boot', n: 0, user_rate: null, running: null, busy: null });
  assert.deepEqual(rows, [
    { bin: 0, phase: null, n: 1, user_rate: null, running: 1, busy: 0.1 },
    { bin: 1, phase: 'boot', n: 1, user_rate: 100, running: 2, busy: 0.2 },
    ...[2, 3, 4, 5, 6, 7, 8, 9].map(empty),
    { bin: 10, phase: 'boot', n: 1, user_rate: null, running: 3, busy: 0.3 },
    { bin: 11, phase: 'attack', n: 1, user_rate: 200, running: 4, busy: 0.4 },
    { bin: 12, phase: 'attack', n: 1, user_rate: 200, running: 5, busy: 0.5 },
  ]);
});
