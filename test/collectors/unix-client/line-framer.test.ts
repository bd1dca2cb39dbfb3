// The framer against the guest's worst: reads split anywhere, lines with no end, a reused read
// buffer. What it emits must not depend on how the stream was cut, and what it holds must stay
// under the limit whatever arrives.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { LineFramer } from '../../../src/collectors/unix-client/line-framer';
import { seededCuts, splitAt } from '../../helpers/seeded-cuts';

interface Framed {
  framer: LineFramer;
  lines: string[];
  oversized: () => number;
}

function frame(maxLineBytes: number): Framed {
  const lines: string[] = [];
  let oversized = 0;
  const framer = new LineFramer(maxLineBytes, {
    onLines: (buf, start, end) => {
      assert.equal(buf[end - 1], 0x0a, 'a region ends with a newline');
      lines.push(...buf.toString('latin1', start, end - 1).split('\n'));
    },
    onOversized: () => oversized++,
  });
  return { framer, lines, oversized: () => oversized };
}

test('lines split across reads come out whole, CRLF and empty lines as sent', () => {
  const { framer, lines } = frame(100);
  for (const piece of ['{"a":', '1}\r\n\n{"b"', ':2}\n{"c":3', '}\n']) framer.push(Buffer.from(piece));
  assert.deepEqual(lines, ['{"a":1}\r', '', '{"b":2}', '{"c":3}']);
  assert.equal(framer.heldBytes, 0);
});

test('a line of exactly maxLineBytes is kept and one byte more is dropped, in one read or split', () => {
  const max = 10;
  const ok = 'k'.repeat(max);
  const long = 'L'.repeat(max + 1);
  const stream = Buffer.from(`${ok}\n${long}\nafter\n${long}${long}\nend\n`);
  for (const cuts of [[], [3], seededCuts(stream.length, 7, 4)]) {
    const { framer, lines, oversized } = frame(max);
    for (const piece of splitAt(stream, cuts)) framer.push(piece);
    assert.deepEqual(lines, [ok, 'after', 'end'], `cuts ${cuts.join(',')}`);
    assert.equal(oversized(), 2, `cuts ${cuts.join(',')}`);
  }
});

test('a line one byte too long, alone in one read, is dropped; one of exactly maxLineBytes alone is kept', () => {
  // A read holding nothing but one line and its newline is the region the one-line shortcut sees.
  const max = 10;
  const tooLong = frame(max);
  tooLong.framer.push(Buffer.from(`${'L'.repeat(max + 1)}\n`));
  assert.deepEqual(tooLong.lines, []);
  assert.equal(tooLong.oversized(), 1);
  const crlf = frame(max);
  crlf.framer.push(Buffer.from(`${'L'.repeat(max)}\r\n`));
  assert.deepEqual(crlf.lines, [], 'the "\r" counts');
  assert.equal(crlf.oversized(), 1);
  const exact = frame(max);
  exact.framer.push(Buffer.from(`${'k'.repeat(max)}\n`));
  assert.deepEqual(exact.lines, ['k'.repeat(max)]);
  assert.equal(exact.oversized(), 0);
});

test('the complete lines of one read come as one region of that read', () => {
  // The row stage validates a whole read in one call: a read of three lines is one region.
  const regions: Array<[Buffer, number, number]> = [];
  const framer = new LineFramer(10, { onLines: (buf, start, end) => regions.push([buf, start, end]), onOversized: () => assert.fail('oversized') });
  const read = Buffer.from('a\nbb\nccc\n');
  framer.push(read);
  assert.deepEqual(regions, [[read, 0, read.length]]);
});

test('an incomplete line of exactly maxLineBytes is held, and kept when its newline comes', () => {
  const max = 10;
  const { framer, lines, oversized } = frame(max);
  framer.push(Buffer.from('k'.repeat(max)));
  assert.equal(framer.heldBytes, max);
  framer.push(Buffer.from('\n'));
  assert.deepEqual(lines, ['k'.repeat(max)]);
  assert.equal(oversized(), 0);
});

test('output is identical however the stream is cut (seeded)', () => {
  const max = 64;
  const corpus = Buffer.concat([
    Buffer.from('{"é":"ünïcödé ✓ 𝄞"}\r\n\n\n{"n":1764234567890123457}\n'),
    Buffer.from(`{"long":"${'x'.repeat(200)}"}\n{"after_long":true}\n`),
    Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a]),
    Buffer.from('{"tail":"no newline'),
  ]);
  const reference = frame(max);
  reference.framer.push(corpus);
  for (const seed of [1, 2, 3, 42, 1337]) {
    for (const maxPiece of [1, 3, 17, 100]) {
      const { framer, lines, oversized } = frame(max);
      for (const piece of splitAt(corpus, seededCuts(corpus.length, seed, maxPiece))) framer.push(piece);
      assert.deepEqual(lines, reference.lines, `seed ${seed}, pieces up to ${maxPiece}`);
      assert.equal(oversized(), 1, `seed ${seed}, pieces up to ${maxPiece}`);
      assert.equal(framer.reset(), Buffer.byteLength('{"tail":"no newline'), `seed ${seed}, pieces up to ${maxPiece}`);
    }
  }
  assert.equal(reference.lines.length, 6);
});

test('50 MiB without a newline holds at most maxLineBytes, counts one drop, then frames again', () => {
  const max = 1024 * 1024;
  const { framer, lines, oversized } = frame(max);
  const read = Buffer.alloc(64 * 1024, 0x41);
  let mostHeld = 0;
  for (let sent = 0; sent < 50 * 1024 * 1024; sent += read.length) {
    framer.push(read);
    mostHeld = Math.max(mostHeld, framer.heldBytes);
  }
  framer.push(Buffer.from('AAAA\n{"good":1}\n'));
  assert.ok(mostHeld <= max, `held ${mostHeld} bytes`);
  assert.equal(oversized(), 1);
  assert.deepEqual(lines, ['{"good":1}']);
});

test('held bytes are copied: the caller may reuse its read buffer', () => {
  const { framer, lines } = frame(100);
  const read = Buffer.alloc(8);
  for (const piece of ['{"a":"b', 'cd"}\n']) {
    read.fill(0);
    read.write(piece);
    framer.push(read.subarray(0, piece.length));
  }
  assert.deepEqual(lines, ['{"a":"bcd"}']);
});

test('reset forgets the incomplete line and returns its size; a discarded line counts 0', () => {
  const { framer, oversized } = frame(4);
  framer.push(Buffer.from('abc'));
  assert.equal(framer.reset(), 3);
  framer.push(Buffer.from('abcdefgh'));
  assert.equal(framer.reset(), 0);
  assert.equal(oversized(), 1);
});

// Only an incomplete last line is held. A read that ends on its newline holds nothing, not even
// an empty piece: a guest writing a line per read would otherwise grow the held list for ever.
test('reads that end on a newline hold nothing, however many come', () => {
  setFlagsFromString('--expose-gc');
  const collectGarbage = runInNewContext('gc') as () => void;
  let lines = 0;
  const framer = new LineFramer(64, { onLines: () => lines++, onOversized: () => assert.fail('no line is too long') });
  const read = Buffer.from('{"a":1}\n');
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 500_000; i++) framer.push(read);
  collectGarbage();
  const grownMib = (process.memoryUsage().heapUsed - before) / 2 ** 20;
  assert.equal(lines, 500_000);
  assert.equal(framer.heldBytes, 0);
  // Half a million empty pieces would take tens of MiB.
  assert.ok(grownMib < 8, `the heap grew by ${grownMib.toFixed(1)} MiB over 500,000 reads`);
});
