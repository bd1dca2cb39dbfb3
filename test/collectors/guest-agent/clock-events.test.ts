// The clock events of a real connection, held to docs/collectors/guest-agent.md exactly: an agent
// at 20 rows/s whose clock runs 42 s ahead, then falls 1 s behind (a pause), skipping ticks on
// the way. No event field may take a name of the event's own head.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { agentRow } from '../../../src/sim/agent-server';
import { readJsonl } from '../../helpers/jsonl';
import { documentedEvents } from '../../helpers/documented-events';
import { waitFor } from '../../helpers/wait-for';
import { eventFields, startAgentPair } from './agent-harness';

const INTERVAL_NS = 50_000_000n;
const GUEST_AHEAD_NS = 42_000_000_000n;
const STEP_NS = -1_000_000_000n;
const EVENT_HEAD = ['t_mono_ns', 't_wall_ns', 'source', 'event'];

test('guest_agent_clock, _clock_step and _ticks_skipped carry exactly the documented fields', async (t) => {
  const { vmtel, server } = await startAgentPair(t, { clock_step_threshold_ms: 200 });
  await server!.waitForClient();
  // One row per write, stamped with the host's clocks as the guest sees them.
  let seq = 0;
  let guestBehindNs = 0n;
  let skipNs = 0n;
  const send = async (): Promise<void> => {
    const monoNs = process.hrtime.bigint() - guestBehindNs + skipNs;
    const wallNs = vmtel.control.wallNsAt(monoNs - vmtel.control.originNs) + GUEST_AHEAD_NS;
    await server!.send(agentRow(seq++, monoNs, wallNs).replace('"cpu_pct"', `"interval_ns":${INTERVAL_NS},"cpu_pct"`));
    await waitFor(`row ${seq} read`, () => readJsonl(vmtel.outputPath).length === seq);
  };
  // The first window of rows (2 s), then three ticks skipped, then the guest clock 1 s behind.
  await waitFor('the estimate at connect', async () => (await send(), vmtel.events('guest_agent_clock').length === 1), 10_000);
  skipNs = 3n * INTERVAL_NS;
  await send();
  guestBehindNs = -STEP_NS;
  await waitFor('the step', async () => (await send(), vmtel.events('guest_agent_clock_step').length === 2), 5000);
  await vmtel.stop();

  const documented = documentedEvents('docs/collectors/guest-agent.md');
  for (const event of ['guest_agent_clock', 'guest_agent_clock_step', 'guest_agent_ticks_skipped']) {
    const emitted = eventFields(vmtel, event);
    assert.ok(emitted.length > 0, `${event} emitted`);
    for (const fields of emitted) assert.deepEqual(Object.keys(fields).sort(), [...documented.get(event)!].sort(), `${event} fields`);
  }
  const [connect, end] = eventFields(vmtel, 'guest_agent_clock');
  assert.equal(connect!['phase'], 'connect');
  assert.ok(Math.abs(Number(connect!['offset_ns']) - Number(GUEST_AHEAD_NS)) < 50e6, `offset at connect ${String(connect!['offset_ns'])} ns`);
  assert.equal(end!['phase'], 'end');
  // The skipped ticks moved the guest's clocks on by three intervals the host never waited.
  const endOffsetNs = GUEST_AHEAD_NS + STEP_NS + 3n * INTERVAL_NS;
  assert.ok(Math.abs(Number(end!['offset_ns']) - Number(endOffsetNs)) < 50e6, `offset at the end ${String(end!['offset_ns'])} ns`);
  for (const step of eventFields(vmtel, 'guest_agent_clock_step')) {
    assert.ok(Math.abs(Number(step['step_ns']) - Number(STEP_NS)) < 50e6, `${String(step['clock'])} step ${String(step['step_ns'])} ns`);
  }
  // The rows go as fast as they are read, not on the interval: the skips are those of their gaps.
  const guestNs = readJsonl(vmtel.outputPath).map((row) => Number(row['t_guest_mono_ns']));
  const skipped = guestNs.slice(1).reduce((sum, ns, i) => sum + Math.max(0, Math.round((ns - guestNs[i]!) / Number(INTERVAL_NS)) - 1), 0);
  assert.ok(skipped >= 2, `${skipped} ticks skipped in the rows`);
  // A loaded machine may space the rows wider than the interval too: more skips, summed in events.
  const skipEvents = eventFields(vmtel, 'guest_agent_ticks_skipped');
  assert.ok(skipEvents.every((e) => e['interval_ns'] === Number(INTERVAL_NS) && e['interval_source'] === 'agent'));
  assert.equal(skipEvents.reduce((sum, e) => sum + Number(e['skipped']), 0), skipped);
  const outcome = vmtel.outcome();
  assert.ok(outcome?.type === 'stopped');
  assert.equal(outcome.counts.stats['skipped_ticks'], skipped);
});

test('no documented event has a field named like the event head', () => {
  const docs = ['README.md', ...readdirSync(join(__dirname, '..', '..', '..', '..', 'docs', 'collectors')).map((f) => `docs/collectors/${f}`)];
  for (const doc of docs) {
    for (const [event, fields] of documentedEvents(doc)) {
      for (const field of fields) assert.ok(!EVENT_HEAD.includes(field), `${doc}: ${event}.${field} collides with the event head`);
    }
  }
});
