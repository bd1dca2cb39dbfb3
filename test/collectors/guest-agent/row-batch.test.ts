// A read's plain rows take a short path (head, the row's own t_guest_host_ns, the guest's text
// after its "{") and the others are spliced; whichever way, the output must be exactly what
// splicing each line alone gives, in order, with every drop reported.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type DropReason, guestObject, isPlainRow, RowDrop, spliceGuestRow } from '../../../src/collectors/guest-agent/guest-row';
import { RowBatch } from '../../../src/collectors/guest-agent/row-batch';
import { RowFormat } from '../../../src/sink/row-format';

const TAG = ',"source":"guest_agent","available_in_deployment":true';
const HEAD = `{"t_mono_ns":5,"t_wall_ns":6${TAG}`;
const MAX_DEPTH = 32;
// Each row's sample time, numbered in order, so a row given another row's field shows.
function numberedTiming(): { begin(): void; sampledAt(): string; endRead(): void } {
  let rows = 0;
  return { begin: () => undefined, sampledAt: () => String(++rows), endRead: () => undefined };
}

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
  const timing = numberedTiming();
  for (const line of lines) {
    if (line.length === 0) continue;
    const value = guestObject(line, MAX_DEPTH);
    if (value instanceof RowDrop) drops.push(value.reason);
    else if (value !== null) {
      rows += spliceGuestRow(line, value, `${HEAD},"t_guest_host_ns":${timing.sampledAt()}`);
      count++;
    }
  }
  return { rows, count, drops };
}

function batched(lines: readonly string[]): { rows: string; count: number; drops: DropReason[] } {
  const drops: DropReason[] = [];
  const batch = new RowBatch(new RowFormat('guest_agent', true), MAX_DEPTH, (reason) => drops.push(reason), numberedTiming());
  batch.begin(5n, 6n);
  const bytes = Buffer.from(`${lines.join('\n')}\n`);
  batch.addLines(bytes, 0, bytes.length);
  return { rows: batch.lines, count: batch.count, drops };
}

test('which lines are plain', () => {
  const plain = Object.entries(LINES)
    .filter(([, line]) => {
      const value = guestObject(line, MAX_DEPTH);
      return value !== null && !(value instanceof RowDrop) && isPlainRow(line, value);
    })
    .map(([kind]) => kind);
  assert.deepEqual(plain, ['plain', 'plainSpaced', 'plainEscapes']);
});

test('a read of plain rows is spliced as each row alone would be', () => {
  const lines = Array.from({ length: 50 }, (_, i) => (i % 3 === 0 ? LINES.plainSpaced : i % 3 === 1 ? LINES.plainEscapes : LINES.plain));
  const result = batched(lines);
  assert.deepEqual(result, linePerLine(lines));
  assert.equal(result.count, 50);
  assert.equal(result.rows.split('\n').length, 51);
  result.rows
    .slice(0, -1)
    .split('\n')
    .forEach((row, i) => assert.ok(row.startsWith(`${HEAD},"t_guest_host_ns":${i + 1},`), row));
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
