// Everything a hostile guest can put on the wire, each between good rows: every good row must
// survive, every bad line must be counted under its reason, and a flood of bad lines must not
// become a flood of warnings.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { agentRow } from '../../../src/sim/agent-server';
import { readJsonl } from '../../helpers/jsonl';
import { waitFor } from '../../helpers/wait-for';
import { eventFields, startAgentPair } from './agent-harness';
import { seededCuts } from '../../helpers/seeded-cuts';

const MAX_LINE_BYTES = 512;

const BAD_LINES: ReadonlyArray<[reason: string, line: Buffer]> = [
  ['malformed_json', Buffer.from('{"cpu":')],
  ['malformed_json', Buffer.from('{"a":1} trailing')],
  ['not_object', Buffer.from('42')],
  ['not_object', Buffer.from('[1]')],
  ['not_object', Buffer.from('"x"')],
  ['not_object', Buffer.from('null')],
  ['invalid_utf8', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d])],
  ['invalid_utf8', Buffer.from([0x7b, 0x7d, 0xff])],
  ['too_deep', Buffer.from(`{"a":${'['.repeat(40)}${']'.repeat(40)}}`)],
  ['line_too_long', Buffer.from(`{"pad":"${'x'.repeat(MAX_LINE_BYTES)}"}`)],
];

// Good row, bad line, good row, ... , good row; blank lines and CRLF between them are not drops.
function hostileStream(): { bytes: Buffer; goodRows: number } {
  const parts: Buffer[] = [];
  BAD_LINES.forEach(([, line], i) => parts.push(Buffer.from(agentRow(i, 1n, 2n)), line, Buffer.from('\n\r\n\n')));
  parts.push(Buffer.from(agentRow(BAD_LINES.length, 1n, 2n).replace('\n', '\r\n')));
  return { bytes: Buffer.concat(parts), goodRows: BAD_LINES.length + 1 };
}

function expectedDrops(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [reason] of BAD_LINES) counts[reason] = (counts[reason] ?? 0) + 1;
  return counts;
}

// The rows as written, without the host's stamps: what must not depend on how reads were cut.
function rowsWithoutStamps(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .slice(0, -1)
    .map((line) => line.replace(/^\{"t_mono_ns":\d+,"t_wall_ns":\d+,/, '{').replace(/,"t_guest_host_ns":\d+,/, ','));
}

test('each bad input is dropped and counted by reason; every good row around it is kept', async (t) => {
  const { vmtel, server } = await startAgentPair(t, { max_line_bytes: MAX_LINE_BYTES, max_depth: 32 });
  const { bytes, goodRows } = hostileStream();
  await server!.send(bytes);
  await waitFor('every good row on disk', () => readJsonl(vmtel.outputPath).length === goodRows);
  await vmtel.stop();

  assert.deepEqual(
    readJsonl(vmtel.outputPath).map((row) => row['seq']),
    Array.from({ length: goodRows }, (_, i) => i),
  );
  const outcome = vmtel.outcome();
  assert.ok(outcome?.type === 'stopped');
  assert.deepEqual(outcome.counts.dropped, expectedDrops());
  assert.equal(outcome.counts.rows, goodRows);
  assert.deepEqual(eventFields(vmtel, 'guest_agent_rows_dropped')[0], { dropped: { malformed_json: 1 } });
});

test('the rows do not depend on how the stream is cut into reads (seeded)', async (t) => {
  const { bytes, goodRows } = hostileStream();
  const outputs: string[][] = [];
  for (const seed of [0, 11, 29]) {
    await t.test(`seed ${seed}`, async (st) => {
      const { vmtel, server } = await startAgentPair(st, { max_line_bytes: MAX_LINE_BYTES });
      await server!.send(bytes, seed === 0 ? [] : seededCuts(bytes.length, seed, 40));
      await waitFor(`seed ${seed}: every good row on disk`, () => readJsonl(vmtel.outputPath).length === goodRows);
      await vmtel.stop();
      const outcome = vmtel.outcome();
      assert.ok(outcome?.type === 'stopped');
      assert.deepEqual(outcome.counts.dropped, expectedDrops(), `seed ${seed}`);
      // Rows completed by different reads carry different stamps: the cuts reached the reader.
      const reads = new Set(readJsonl(vmtel.outputPath).map((row) => row['t_mono_ns'])).size;
      assert.ok(seed === 0 || reads > goodRows / 2, `seed ${seed}: ${reads} reads`);
      outputs.push(rowsWithoutStamps(vmtel.outputPath));
    });
  }
  assert.equal(outputs.length, 3);
  assert.deepEqual(outputs[1], outputs[0]);
  assert.deepEqual(outputs[2], outputs[0]);
});

test('a flood of bad lines is counted exactly but warned about once, then as a summary', async (t) => {
  const { vmtel, server } = await startAgentPair(t);
  const badLines = 20_000;
  await server!.send(`${agentRow(0, 1n, 2n)}${'{oops\n'.repeat(badLines)}${agentRow(1, 1n, 2n)}`);
  await waitFor('the row after the flood', () => readJsonl(vmtel.outputPath).length === 2);
  await vmtel.stop();

  const outcome = vmtel.outcome();
  assert.ok(outcome?.type === 'stopped');
  assert.deepEqual(outcome.counts.dropped, { malformed_json: badLines });
  const warnings = vmtel.messages.filter((m) => m.type === 'log' && m.level === 'warn');
  assert.equal(warnings.length, 2, 'the first drop at once, the rest in one summary at the end');
  assert.deepEqual(eventFields(vmtel, 'guest_agent_rows_dropped'), [
    { dropped: { malformed_json: 1 } },
    { dropped: { malformed_json: badLines - 1 } },
  ]);
  assert.ok(warnings[0]?.type === 'log');
  assert.equal(warnings[0].fields['sample'], '"{oops"');
});
