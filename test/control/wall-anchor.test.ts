import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ControlBlock } from '../../src/control/control-block';
import { measureWallAnchor } from '../../src/control/wall-anchor';
import { assertWallOffset } from '../helpers/realtime-reference';

test("a wall stamp agrees with CLOCK_REALTIME read by another process within the anchor's stated bound", () => {
  const anchor = measureWallAnchor();
  const control = ControlBlock.create(undefined, { wallOffsetNs: anchor.offsetNs });
  // wallNsAt is the stamp every row gets; its offset from CLOCK_MONOTONIC is the anchor's.
  const monoNs = process.hrtime.bigint();
  assertWallOffset(control.wallNsAt(monoNs - control.originNs) - monoNs, anchor.uncertaintyNs);
});

test('the anchor is measured to a few microseconds at worst, and a second measurement agrees within both bounds', () => {
  const first = measureWallAnchor();
  const second = measureWallAnchor();
  // Brackets of a few hundred ns each; a bound this wide means every one was preempted.
  assert.ok(first.uncertaintyNs > 0n && first.uncertaintyNs < 5_000n, `uncertainty ${first.uncertaintyNs} ns`);
  const apartNs = second.offsetNs - first.offsetNs;
  const allowedNs = first.uncertaintyNs + second.uncertaintyNs;
  assert.ok(apartNs <= allowedNs && -apartNs <= allowedNs, `two anchors ${apartNs} ns apart, bounds ${allowedNs} ns`);
});
