// Each defect of a recording, placed exactly in a synthetic run dir, is found by the report with
// the right cause and figures, and the verdict follows the thresholds.
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { episodeReport } from '../../src/report/episode-report';
import type { EpisodeReport } from '../../src/report/report-types';
import { tempDir } from '../helpers/temp-dir';
import { writeSyntheticRunDir, type SyntheticEpisode } from '../helpers/synthetic-run-dir';

const HOST = { name: 'host', kind: 'host', intervalMs: 1000 };
const QMP = { name: 'qmp', kind: 'qmp', intervalMs: 500 };

async function reportOf(t: Parameters<typeof tempDir>[0], episode: SyntheticEpisode): Promise<EpisodeReport> {
  const runDir = join(tempDir(t), 'run');
  writeSyntheticRunDir(runDir, episode);
  return episodeReport(runDir);
}

const rules = (report: EpisodeReport) => report.verdict.reasons.map((r) => r.rule);
const near = (actual: number | null | undefined, expected: number, tolerance: number, what: string) =>
  assert.ok(actual != null && Math.abs(actual - expected) <= tolerance, `${what}: ${actual} is not ${expected} ± ${tolerance}`);

test('a clean episode is ok, with no gap, no step and no drift', async (t) => {
  const report = await reportOf(t, { durationS: 120, guest: { rateHz: 20 }, samplers: [HOST, QMP] });
  assert.equal(report.verdict.level, 'ok', JSON.stringify(report.verdict));
  for (const source of report.sources) assert.deepEqual(source.gaps, [], source.name);
  assert.equal(report.guestClock?.steps.length, 0);
  near(report.guestClock?.drift.ppm, 0, 0.5, 'drift');
  assert.equal(report.sources.find((s) => s.name === 'host')?.rows, 119);
  near(report.sources.find((s) => s.name === 'qmp')?.cadenceMs.p50, 500, 5, 'qmp cadence p50');
  assert.equal(report.guestClock?.wallOffset?.firstNs, -1_445_541n - BigInt(Math.round(200_000 + (7919 % 1000) / 1000 * 800_000)));
});

test('a sampler that misses every tenth tick delivered 54 of its 59 rows and warns; a late first row or a short episode is not a missing row', async (t) => {
  const report = await reportOf(t, {
    durationS: 60,
    samplers: [
      { ...HOST, missEvery: 10 },
      // Connected 1.2 s after its start (fewer than the three intervals that make a gap), in a short episode.
      { ...QMP, firstRowFromS: 1.2 },
    ],
  });
  // Ticks 1 to 59, of which 10, 20, 30, 40 and 50 are missed: 54 rows of the 59 promised.
  const host = report.sources.find((s) => s.name === 'host')!;
  near(host.rowsFraction, 54 / 59, 1e-9, 'host rows fraction');
  const qmp = report.sources.find((s) => s.name === 'qmp')!;
  assert.deepEqual(qmp.gaps, []);
  assert.equal(qmp.rowsFraction, 1);
  assert.deepEqual(
    report.verdict.reasons.map((r) => [r.rule, r.message]),
    [['rows_fraction', 'host delivered 91.5 % of its expected rows outside gaps (0 missed ticks)']],
  );
});

test('a 10 s gap of a sampler is found with its span, without a cause, and warns beyond max_gap_s only', async (t) => {
  const episode: SyntheticEpisode = { durationS: 200, guest: { rateHz: 10 }, samplers: [{ ...HOST, gaps: [{ fromS: 50, toS: 60 }] }] };
  const report = await reportOf(t, episode);
  const host = report.sources.find((s) => s.name === 'host')!;
  assert.equal(host.gaps.length, 1);
  near(host.gaps[0]!.startS, 49.00015, 1e-6, 'gap start');
  near(host.gaps[0]!.endS, 60.00015, 1e-6, 'gap end');
  near(host.gaps[0]!.durationS, 11, 1e-6, 'gap length');
  assert.deepEqual(host.gaps[0]!.causes, []);
  assert.equal(host.gaps[0]!.excused, false);
  assert.deepEqual(rules(report), ['gap']);
  assert.match(report.verdict.reasons[0]!.message, /host has a 11\.0 s gap from 49\.0 s to 60\.0 s \(cause unknown\)/);
  const lenient = await reportOf(t, { ...episode, report: { max_gap_s: 15 } });
  assert.equal(lenient.verdict.level, 'ok', JSON.stringify(lenient.verdict));
});

test('a seq hole is counted to the row and placed in time', async (t) => {
  const episode: SyntheticEpisode = { durationS: 60, guest: { rateHz: 20, seqHoles: [{ atS: 30, missing: 7 }] } };
  const report = await reportOf(t, episode);
  const seq = report.guestClock!.seq;
  assert.equal(seq.missing, 7);
  assert.equal(seq.duplicates, 0);
  assert.equal(seq.holes.length, 1);
  assert.equal(seq.holes[0]!.afterSeq, 598);
  near(seq.holes[0]!.tS, 30, 0.01, 'hole time');
  assert.deepEqual(rules(report), ['seq_missing']);
  assert.equal((await reportOf(t, { ...episode, report: { max_seq_missing: 7 } })).verdict.level, 'ok');
});

test('a guest clock drifting by exactly 50 ppm then stepping by 1 s: 50 ppm fitted between, one step of 1 s', async (t) => {
  const episode: SyntheticEpisode = { durationS: 600, guest: { rateHz: 20, driftPpm: 50, steps: [{ atS: 300, sizeNs: 1e9 }] } };
  const report = await reportOf(t, episode);
  const clock = report.guestClock!;
  near(clock.drift.ppm, 50, 0.05, 'drift ppm');
  assert.ok(clock.drift.sePpm! > 0 && clock.drift.sePpm! < 0.05, `standard error ${clock.drift.sePpm}`);
  assert.equal(clock.steps.length, 1);
  near(clock.steps[0]!.sizeMs, 1000, 1, 'step size');
  assert.ok(clock.steps[0]!.fromS <= 300 && clock.steps[0]!.toS >= 300 && clock.steps[0]!.toS - clock.steps[0]!.fromS < 2.1, JSON.stringify(clock.steps[0]));
  assert.equal(clock.steps[0]!.paused, false);
  assert.equal(clock.driftBySegment.length, 2);
  for (const stretch of clock.driftBySegment) near(stretch.ppm, 50, 0.1, 'stretch ppm');
  assert.ok(clock.residualMs.p99! < 1, `residual p99 ${clock.residualMs.p99}`);
  assert.deepEqual(rules(report), ['clock_step']);
  assert.match(report.verdict.reasons[0]!.message, /guest clock jumped by 100\d\.\d ms/);
  const strict = await reportOf(t, { ...episode, report: { max_drift_ppm: 40 } });
  assert.deepEqual(rules(strict), ['clock_step', 'drift']);
});

test('a VM pause: the guest gap and its clock step are put down to the pause, and the verdict stays ok', async (t) => {
  const report = await reportOf(t, { durationS: 120, guest: { rateHz: 20 }, samplers: [QMP], pause: { fromS: 40, toS: 45 } });
  const guest = report.sources.find((s) => s.name === 'guest_agent')!;
  assert.equal(guest.gaps.length, 1);
  assert.deepEqual(guest.gaps[0]!.causes, ['VM paused by QMP STOP']);
  assert.equal(guest.gaps[0]!.excused, true);
  near(guest.gaps[0]!.durationS, 5.05, 0.01, 'pause gap');
  const steps = report.guestClock!.steps;
  assert.equal(steps.length, 1);
  near(steps[0]!.sizeMs, -5000, 1, 'pause step');
  assert.equal(steps[0]!.paused, true);
  near(report.guestClock!.drift.ppm, 0, 0.5, 'drift across the pause');
  assert.deepEqual(report.qmpEvents.map((e) => e.name), ['STOP', 'RESUME']);
  assert.equal(report.verdict.level, 'ok', JSON.stringify(report.verdict));
});

test('an orchestrator restart: every source has a gap caused by it, and the verdict warns', async (t) => {
  const report = await reportOf(t, { durationS: 120, guest: { rateHz: 20 }, samplers: [HOST], restart: { fromS: 40, toS: 43 } });
  assert.equal(report.orchestratorRestarts.length, 1);
  near(report.orchestratorRestarts[0]!.downToS, 43, 0.01, 'restart');
  for (const source of report.sources) {
    assert.equal(source.gaps.length, 1, source.name);
    assert.deepEqual(source.gaps[0]!.causes, ['orchestrator down between two starts'], source.name);
  }
  assert.deepEqual(rules(report), ['orchestrator_restart']);
});

test('dropped lines are reported by reason and warn above max_dropped_fraction', async (t) => {
  const report = await reportOf(t, { durationS: 60, guest: { rateHz: 20 }, dropped: { guest_agent: { malformed_json: 40, line_too_long: 2 } } });
  const guest = report.sources.find((s) => s.name === 'guest_agent')!;
  assert.deepEqual(guest.dropped, { malformed_json: 40, line_too_long: 2 });
  near(guest.droppedFraction, 42 / (1199 + 42), 1e-9, 'dropped fraction');
  assert.deepEqual(rules(report), ['dropped']);
  assert.match(report.verdict.reasons[0]!.message, /guest_agent dropped 3\.4 % of its input \(malformed_json 40, line_too_long 2\)/);
});

test('a source with zero rows makes the episode unusable', async (t) => {
  const report = await reportOf(t, { durationS: 30, guest: { rateHz: 20 }, samplers: [HOST, { name: 'net', kind: 'net', intervalMs: 1000, empty: true }] });
  assert.equal(report.verdict.level, 'unusable');
  assert.equal(report.verdict.reasons[0]!.message, 'net recorded no rows');
  const net = report.sources.find((s) => s.name === 'net')!;
  assert.equal(net.rows, 0);
  assert.equal(net.coverage, 0);
});

test('markers and phases: each phase lasts until the next, and drift is fitted per phase', async (t) => {
  const report = await reportOf(t, {
    durationS: 100,
    guest: { rateHz: 20, driftPpm: 20 },
    markers: [{ atS: 10, name: 'boot', phase: true }, { atS: 30, name: 'note', phase: false }, { atS: 50, name: 'attack', phase: true }],
    labels: { study: 's1' },
  });
  assert.deepEqual(report.labels, { study: 's1' });
  assert.deepEqual(report.markers.map((m) => m.name), ['boot', 'note', 'attack']);
  assert.deepEqual(report.phases.map((p) => [p.name, p.startS, Math.round(p.endS)]), [['boot', 10, 50], ['attack', 50, 100]]);
  for (const phase of report.guestClock!.driftByPhase) near(phase.ppm, 20, 0.2, phase.phase);
});

test('rows with t_guest_host_ns are timed by it: the delivery delay is gone from the clock figures', async (t) => {
  const episode: SyntheticEpisode = { durationS: 60, guest: { rateHz: 20, driftPpm: 50, delayNs: { base: 2_000_000, spread: 30_000_000 } } };
  const byReadTime = await reportOf(t, episode);
  assert.equal(byReadTime.guestClock!.hostStamp, 't_mono_ns');
  assert.ok(byReadTime.guestClock!.residualMs.p99! > 10, `delay p99 by read time ${byReadTime.guestClock!.residualMs.p99}`);
  const bySample = await reportOf(t, { ...episode, guest: { ...episode.guest!, hostSampleStamp: true } });
  assert.equal(bySample.guestClock!.hostStamp, 't_guest_host_ns');
  // What is left is the drift inside one 1 s window: 50 ppm of 1 s is 0.05 ms.
  assert.ok(bySample.guestClock!.residualMs.p99! <= 0.051, `delay p99 by sample time ${bySample.guestClock!.residualMs.p99}`);
  near(bySample.guestClock!.drift.ppm, 50, 0.01, 'drift by sample time');
});

test('a row file with a line that is not JSON and a cut last line is a warning', async (t) => {
  const runDir = join(tempDir(t), 'run');
  writeSyntheticRunDir(runDir, { durationS: 30, guest: { rateHz: 20 } });
  appendFileSync(join(runDir, 'telemetry-guest_agent.jsonl'), 'not json\n{"t_mono_ns":29990000000,"t_wa');
  const report = await episodeReport(runDir);
  const guest = report.sources.find((s) => s.name === 'guest_agent')!;
  assert.deepEqual([guest.rows, guest.unreadableLines, guest.unterminatedBytes], [599, 1, '{"t_mono_ns":29990000000,"t_wa'.length]);
  assert.deepEqual(rules(report), ['unreadable_lines']);
});

test('many long gaps of one source are one reason naming their count and the longest', async (t) => {
  const gaps = [{ fromS: 20, toS: 28 }, { fromS: 50, toS: 62 }, { fromS: 90, toS: 97 }];
  const report = await reportOf(t, { durationS: 300, samplers: [{ ...HOST, gaps }] });
  assert.equal(report.sources[0]!.gaps.length, 3);
  assert.deepEqual(report.verdict.reasons.map((r) => r.message), [
    'host has 3 gaps longer than 5 s (30.0 s in all), the longest a 13.0 s gap from 49.0 s to 62.0 s (cause unknown)',
  ]);
});
