// A read's rows are spliced per read when they are plain (one native replace) and per line
// otherwise; whichever way, the output must be exactly what splicing each line alone gives, in
// order, with every drop reported.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type DropReason, isPlainRow, RowDrop, spliceGuestRow } from '../../../src/collectors/guest-agent/guest-row';
import { RowBatch } from '../../../src/collectors/guest-agent/row-batch';

const TAG = ',"source":"guest_agent","available_in_deployment":true';
const HEAD = `{"t_mono_ns":5,"t_wall_ns":6${TAG}`;
const MAX_DEPTH = 32;

// One of each kind of line a read can hold; the plain ones are the common case.
const LINES = {
  plain: '{"seq":1,"t_guest_mono_ns":10,"t_guest_wall_ns":20,"cpu_pct":1.5}',
  plainSpaced: '{ "t_guest_wall_ns" : 2 , "t_guest_mono_ns" : 1 ,"x":[1,{"source":"nested"}]}',
  plainEscapes: '{"t_guest_mono_ns":1,"t_guest_wall_ns":2,"s":"a\\n{b} é€ \\u2028"}',
  noClocks: '{"seq":2}',
  oneClock: '{"t_guest_mono_ns":1}',
  hostOwned: '{"t_guest_mono_ns":1,"t_guest_wall_ns":2,"sour\\u0063e":"x"}',
  crlf: '{"t_guest_mono_ns":1,"t_guest_wall_ns":2}\r',
  leadingSpace: ' {"t_guest_mono_ns":1,"t_guest_wall_ns":2}',
  empty: '{}',
  blank: '',
  malformed: '{"t_guest_mono_ns":1,"t_guest_wall_ns":2',
  notObject: '[1]',
  tooDeep: `{"t_guest_mono_ns":1,"t_guest_wall_ns":2,"d":${'['.repeat(40)}${']'.repeat(40)}}`,
};

/** What splicing each line alone gives: the rows, and the drop reasons in order. */
function linePerLine(lines: readonly string[]): { rows: string; count: number; drops: DropReason[] } {
  let rows = '';
  let count = 0;
  const drops: DropReason[] = [];
  for (const line of lines) {
    if (line.length === 0) continue;
    const row = spliceGuestRow(line, HEAD, MAX_DEPTH);
    if (typeof row === 'string') {
      rows += row;
      count++;
    } else if (row instanceof RowDrop) drops.push(row.reason);
  }
  return { rows, count, drops };
}

function batched(lines: readonly string[]): { rows: string; count: number; drops: DropReason[] } {
  const drops: DropReason[] = [];
  const batch = new RowBatch(TAG, MAX_DEPTH, (reason) => drops.push(reason));
  batch.begin(5n, 6n);
  const bytes = Buffer.from(`${lines.join('\n')}\n`);
  batch.addLines(bytes, 0, bytes.length);
  return { rows: batch.lines, count: batch.count, drops };
}

test('which lines are plain', () => {
  const plain = Object.entries(LINES)
    .filter(([, line]) => isPlainRow(line, MAX_DEPTH))
    .map(([kind]) => kind);
  assert.deepEqual(plain, ['plain', 'plainSpaced', 'plainEscapes']);
});

test('a read of plain rows is spliced as each row alone would be', () => {
  const lines = Array.from({ length: 50 }, (_, i) => (i % 3 === 0 ? LINES.plainSpaced : i % 3 === 1 ? LINES.plainEscapes : LINES.plain));
  const result = batched(lines);
  assert.deepEqual(result, linePerLine(lines));
  assert.equal(result.count, 50);
  assert.equal(result.rows.split('\n').length, 51);
  for (const row of result.rows.slice(0, -1).split('\n')) assert.ok(row.startsWith(`${HEAD},`), row);
});

test('reads mixing every kind of line, in every position, give what splicing each line gives', () => {
  const kinds = Object.values(LINES);
  for (const first of kinds) {
    for (const odd of kinds) {
      const lines = [first, LINES.plain, odd, LINES.plain, LINES.plainSpaced, odd, first];
      assert.deepEqual(batched(lines), linePerLine(lines), JSON.stringify(lines));
    }
  }
});
