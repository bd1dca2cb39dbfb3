// Two synthetic episodes with values chosen so every figure of the export is known in advance:
// a deployable guest source (gauges, integers beyond 2^53 and near 2^64, a nested object) and a
// lab-only net source (a counter with a reset), markers for phases, labels, a torn and a dropped
// line in the second episode.
import { join } from 'node:path';
import { atS, writeSyntheticEpisode } from './synthetic-episode';

export const NEAR_2_64 = 18446744073709551615n;
export const ABOVE_2_63 = 9223372036854775813n;
export const ABOVE_2_53 = 9007199254740993n;
// The value jq 1.6 rounds to …203500 (issue 18's example).
export const GUEST_WALL_NS = 1795974073840203583n;

/** Guest rows of episode 1: bin 0 has two (mean 15), bin 1 one, bin 2 none, bin 3 three (mean 2), bin 4 one. */
export const EP1_GUEST = [
  { t_mono_ns: atS(0.25), seq: 1, cpu_pct: 10, big_u: 1n, mixed: -3, above53: ABOVE_2_53, t_guest_wall_ns: GUEST_WALL_NS, io: { reads: 7 } },
  { t_mono_ns: atS(0.75), seq: 2, cpu_pct: 20, big_u: NEAR_2_64, mixed: ABOVE_2_63, above53: 1, t_guest_wall_ns: GUEST_WALL_NS + 1n, io: { reads: 9 } },
  { t_mono_ns: atS(1.5), seq: 3, cpu_pct: 40, big_u: ABOVE_2_63, mixed: 0, above53: 2, t_guest_wall_ns: GUEST_WALL_NS + 2n, io: { reads: 11 } },
  { t_mono_ns: atS(3.2), seq: 4, cpu_pct: 1, big_u: 2, mixed: 1, above53: 3, t_guest_wall_ns: GUEST_WALL_NS + 3n, io: { reads: 12 } },
  { t_mono_ns: atS(3.4), seq: 5, cpu_pct: 2, big_u: 3, mixed: 2, above53: 4, t_guest_wall_ns: GUEST_WALL_NS + 4n, io: { reads: 13 } },
  { t_mono_ns: atS(3.6), seq: 6, cpu_pct: 3, big_u: 4, mixed: 3, above53: 5, t_guest_wall_ns: GUEST_WALL_NS + 5n, io: { reads: 14 } },
  { t_mono_ns: atS(4.5), seq: 7, cpu_pct: 8, big_u: 5, mixed: 4, above53: 6, t_guest_wall_ns: GUEST_WALL_NS + 6n, io: { reads: 15 } },
];

/** net rows of episode 1, one per bin: rates null (first row), 500, 1000, 0, null (reset). */
export const EP1_NET = [
  { t_mono_ns: atS(0.5), tick: 1, rx_bytes: 1000, rx_bytes_delta: null, mtu: 1500 },
  { t_mono_ns: atS(1.5), tick: 3, rx_bytes: 1500, rx_bytes_delta: 500, mtu: 1500 },
  { t_mono_ns: atS(2.5), tick: 5, rx_bytes: 2500, rx_bytes_delta: 1000, mtu: 9000 },
  { t_mono_ns: atS(3.5), tick: 7, rx_bytes: 2500, rx_bytes_delta: 0, mtu: 9000 },
  { t_mono_ns: atS(4.5), tick: 9, rx_bytes: 100, rx_bytes_delta: null, mtu: 9000 },
];

export const EP1_EVENTS = [
  { t_mono_ns: 1_000, source: 'orchestrator', event: 'episode_started' },
  { t_mono_ns: 2_000, source: 'net', event: 'collector_started', kind: 'net' },
  { t_mono_ns: 1_000_000_000, source: 'control', event: 'marker', name: 'idle', phase: true, labels: {} },
  { t_mono_ns: 2_200_000_000, source: 'control', event: 'marker', name: 'note', phase: false, labels: {} },
  { t_mono_ns: 3_500_000_000, source: 'control', event: 'marker', name: 'attack', phase: true, labels: { step: '2' } },
  { t_mono_ns: 4_900_000_000, source: 'guest_agent', event: 'guest_agent_stalled', silent_s: 10 },
];

/** Writes both episodes under `dir`; returns their run dirs. */
export function writeTwoEpisodes(dir: string): [string, string] {
  const ep1 = writeSyntheticEpisode(join(dir, 'ep1'), {
    vm: 'vm1',
    episode: 'ep1',
    durationS: 5,
    labels: { family: 'benign', run: '1' },
    sources: [
      { name: 'guest_agent', kind: 'guest_agent', deployable: true, rows: EP1_GUEST },
      { name: 'net', kind: 'net', deployable: false, rows: EP1_NET },
    ],
    events: EP1_EVENTS,
  });
  const ep2 = writeSyntheticEpisode(join(dir, 'ep2'), {
    vm: 'vm1',
    episode: 'ep2',
    durationS: 2,
    labels: { family: 'malware' },
    sources: [
      {
        name: 'guest_agent',
        kind: 'guest_agent',
        deployable: true,
        rows: [
          { t_mono_ns: atS(0.5), seq: 1, cpu_pct: 90, big_u: 7, mixed: 5, above53: 7, t_guest_wall_ns: GUEST_WALL_NS, io: { reads: 1 } },
          { t_mono_ns: atS(1.5), seq: 2, cpu_pct: 95, big_u: 8, mixed: 6, above53: 8, t_guest_wall_ns: GUEST_WALL_NS, io: { reads: 2 } },
        ],
        // A crash cut the last line short, and the manifest counted one more row than is whole.
        tail: '{"t_mono_ns":1900000000,"t_wall_ns":17959',
        rowsRecorded: 3,
      },
      { name: 'net', kind: 'net', deployable: false, rows: [{ t_mono_ns: atS(0.5), tick: 1, rx_bytes: 5, rx_bytes_delta: null, mtu: 1500 }] },
    ],
    events: [{ t_mono_ns: 1_000, source: 'orchestrator', event: 'episode_started' }],
  });
  return [ep1, ep2];
}
