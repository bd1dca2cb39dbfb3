// A collector publishing in a loop is paced: its burst goes at once, then only each topic's latest
// value is sent per period, and topics held at once are bounded; nothing a sibling could use is lost.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PublishPacer } from '../../src/orchestrator/publish-pacer';

function pacer(): { pacer: PublishPacer; sent: Array<[string, unknown]> } {
  const sent: Array<[string, unknown]> = [];
  return { pacer: new PublishPacer((topic, value) => sent.push([topic, value])), sent };
}

test('a topic published in a loop: the burst goes at once, then only its latest value, at the flush', () => {
  const { pacer: paced, sent } = pacer();
  for (let i = 0; i < 1000; i += 1) paced.publish('qmp.vcpu_threads', i);
  const atOnce = sent.length;
  // A burst of 100; a slow loop on a loaded host may earn a token or two more.
  assert.ok(atOnce >= 100 && atOnce <= 103, `${atOnce} sent at once`);
  paced.flush();
  assert.deepEqual(sent.at(-1), ['qmp.vcpu_threads', 999], 'the latest value reaches the siblings');
  assert.equal(sent.length, atOnce + 1);
  assert.equal(paced.coalesced, 1000 - atOnce - 1);
  paced.flush();
  assert.equal(sent.length, atOnce + 1, 'nothing held, nothing sent');
});

test('topics invented without end: at most 256 are held, the rest counted', () => {
  const { pacer: paced, sent } = pacer();
  for (let i = 0; i < 100; i += 1) paced.publish(`burst.${i}`, i);
  const atOnce = sent.length;
  for (let i = 0; i < 1000; i += 1) paced.publish(`topic.${i}`, i);
  paced.flush();
  const held = sent.length - atOnce;
  assert.ok(held >= 256 && held <= 259, `${held} held topics sent`);
  assert.equal(paced.coalesced, 1000 - held);
  assert.ok(sent.slice(atOnce).every(([topic, value]) => topic === `topic.${String(value)}`), 'each topic with its own value');
});
