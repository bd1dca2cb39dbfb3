// The loop pulse against a real freeze of this thread: Atomics.wait blocks the thread as SIGSTOP
// or a starved CPU would (the stimulus, not a synchronisation), and the pulse must then report
// exactly one stall spanning the freeze, both to a caller that runs first after it and to its members.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LOOP_STALL_MS, loopPulse, PULSE_INTERVAL_MS, type LoopStall } from '../../src/control/loop-pulse';
import { setTimeout as delay } from 'node:timers/promises';
import { waitFor } from '../helpers/wait-for';

const NS_PER_MS = 1_000_000n;

function freezeThisThread(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

test('a frozen thread is one stall spanning the freeze: seen by a caller first, then by every member once; beats go on', async () => {
  let beats = 0;
  const stalls: LoopStall[] = [];
  assert.equal(loopPulse.stalledWithinNs(10_000n * NS_PER_MS), 0n, 'no pulse runs before a member joins');
  const leave = loopPulse.join({ beat: () => beats++, stalled: (stall) => stalls.push(stall) });
  try {
    assert.equal(beats, 1, 'a member beats as it joins');
    await waitFor('a pulse on time', () => beats === 2, 5000);
    assert.equal(loopPulse.stalledWithinNs(10_000n * NS_PER_MS), 0n, 'right after a pulse on time nothing is stalled');
    assert.equal(stalls.length, 0, 'no stall');

    const frozenMs = PULSE_INTERVAL_MS + LOOP_STALL_MS + 300;
    const frozenFromNs = process.hrtime.bigint();
    freezeThisThread(frozenMs);
    const frozenNs = process.hrtime.bigint() - frozenFromNs;

    // Before the overdue pulse has run: the stall going on is reported from the last pulse to now.
    const ongoingNs = loopPulse.stalledWithinNs(10_000n * NS_PER_MS);
    assert.ok(ongoingNs >= frozenNs, `ongoing stall ${ongoingNs} ns covers the ${frozenNs} ns freeze`);
    assert.equal(loopPulse.stalledWithinNs(BigInt(PULSE_INTERVAL_MS - 1) * NS_PER_MS), 0n, 'a span shorter than a pulse holds no stall');

    await waitFor('the pulse after the freeze', () => stalls.length === 1, 5000);
    const stall = stalls[0]!;
    const stallNs = stall.endNs - stall.startNs;
    assert.ok(stall.startNs <= frozenFromNs && stallNs >= frozenNs, `stall of ${stallNs} ns covers the freeze`);
    assert.equal(loopPulse.stalledWithinNs(60_000n * NS_PER_MS), stallNs, 'a span holding the whole stall: its length');
    const partNs = process.hrtime.bigint() - stall.startNs - 500n * NS_PER_MS;
    const withinPartNs = loopPulse.stalledWithinNs(partNs);
    assert.ok(withinPartNs < stallNs && withinPartNs >= stallNs - 600n * NS_PER_MS, `a span cutting the stall: its overlap, ${withinPartNs} ns`);

    // Late, but by less than the stall bound: a busy host, not a frozen vmtel.
    const beatsAfterStall = beats;
    freezeThisThread(PULSE_INTERVAL_MS + LOOP_STALL_MS / 2);
    // Before its pulse runs: late by less than the bound is not going on as a stall. A span
    // reaching 2.5 s back holds only the first stall's last half second or so.
    const recentNs = loopPulse.stalledWithinNs(2500n * NS_PER_MS);
    assert.ok(recentNs < 1500n * NS_PER_MS, `a short freeze taken for a stall going on: ${recentNs} ns`);
    await waitFor('the pulse after a short freeze', () => beats > beatsAfterStall, 5000);
    assert.equal(stalls.length, 1, 'a pulse late by less than the bound is no stall');
    assert.equal(loopPulse.stalledWithinNs(60_000n * NS_PER_MS), stallNs, 'the last stall is remembered across pulses on time');
    assert.ok(process.hrtime.bigint() - stall.endNs > BigInt(PULSE_INTERVAL_MS) * NS_PER_MS, 'the stall ended over a pulse ago');
    assert.equal(loopPulse.stalledWithinNs(BigInt(PULSE_INTERVAL_MS) * NS_PER_MS), 0n, 'a span after the stall holds none of it');
  } finally {
    leave();
  }
  assert.equal(loopPulse.stalledWithinNs(60_000n * NS_PER_MS), 0n, 'no pulse runs once the last member left');
});

test('members share one pulse: the pulse runs until the last one leaves', async () => {
  let firstBeats = 0;
  let secondBeats = 0;
  const leaveFirst = loopPulse.join({ beat: () => firstBeats++, stalled: () => undefined });
  const leaveSecond = loopPulse.join({ beat: () => secondBeats++, stalled: () => undefined });
  leaveFirst();
  await waitFor('a pulse for the member still in', () => secondBeats >= 2, 5000);
  assert.equal(firstBeats, 1, 'a member that left gets no beat');
  leaveSecond();
});

test("a turn of the thread's own work half an interval after a pulse is the pulse and pushes its timer back; an earlier turn is nothing", async () => {
  let beats = 0;
  const leave = loopPulse.join({ beat: () => beats++, stalled: () => undefined });
  try {
    const joinedNs = process.hrtime.bigint();
    loopPulse.turned();
    assert.equal(beats, 1, 'a turn right after the join beat is no pulse');
    await delay(PULSE_INTERVAL_MS * 0.6);
    loopPulse.turned();
    assert.equal(beats, 2, 'a turn 0.6 interval after the last pulse beats');
    const turnedNs = process.hrtime.bigint();
    // The timer set at the join would have fired one interval after it; pushed back, it fires
    // one interval after the turn.
    await delay(PULSE_INTERVAL_MS - Number(process.hrtime.bigint() - joinedNs) / 1e6 + 200);
    assert.equal(beats, 2, 'no pulse one interval after the join: the turn started the interval again');
    await waitFor('the pulse one interval after the turn', () => beats === 3, 5000);
    const sinceTurnMs = Number(process.hrtime.bigint() - turnedNs) / 1e6;
    assert.ok(sinceTurnMs >= PULSE_INTERVAL_MS - 5, `the pulse came ${sinceTurnMs} ms after the turn`);
  } finally {
    leave();
  }
  const beatsAfterLeave = beats;
  loopPulse.turned();
  assert.equal(beats, beatsAfterLeave, 'a turn with no member in is nothing');
});
