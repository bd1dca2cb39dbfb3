// The raw-plus-delta pair every periodic collector writes: null where no honest delta exists
// (first sample, a reset counter), exact for numbers and bigints, scopes kept apart.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CounterDeltas } from '../../../src/collectors/sampling/counter-deltas';

test('the first sample has null deltas, later ones the change since the previous', () => {
  const deltas = new CounterDeltas();
  assert.deepEqual(deltas.withDeltas({ rx_bytes: 100, rx_packets: 2 }), {
    rx_bytes: 100,
    rx_bytes_delta: null,
    rx_packets: 2,
    rx_packets_delta: null,
  });
  assert.deepEqual(deltas.withDeltas({ rx_bytes: 160, rx_packets: 2 }), {
    rx_bytes: 160,
    rx_bytes_delta: 60,
    rx_packets: 2,
    rx_packets_delta: 0,
  });
});

test('a counter that went backwards was reset: its delta is null, the next one counts again', () => {
  const deltas = new CounterDeltas();
  deltas.withDeltas({ tx_bytes: 5000 });
  assert.deepEqual(deltas.withDeltas({ tx_bytes: 40 }), { tx_bytes: 40, tx_bytes_delta: null });
  assert.deepEqual(deltas.withDeltas({ tx_bytes: 90 }), { tx_bytes: 90, tx_bytes_delta: 50 });
});

test('bigint counters beyond 2^53 get exact bigint deltas', () => {
  const deltas = new CounterDeltas();
  const base = 2n ** 60n;
  deltas.withDeltas({ wr_bytes: base });
  assert.deepEqual(deltas.withDeltas({ wr_bytes: base + 3n }), { wr_bytes: base + 3n, wr_bytes_delta: 3n });
});

test('scopes are separate, and a scope not retained starts over', () => {
  const deltas = new CounterDeltas();
  deltas.withDeltas({ utime_ms: 10 }, 'tid:1');
  deltas.withDeltas({ utime_ms: 500 }, 'tid:2');
  assert.equal(deltas.withDeltas({ utime_ms: 30 }, 'tid:1')['utime_ms_delta'], 20);
  deltas.retain(['tid:1']);
  assert.equal(deltas.withDeltas({ utime_ms: 520 }, 'tid:2')['utime_ms_delta'], null);
  assert.equal(deltas.withDeltas({ utime_ms: 35 }, 'tid:1')['utime_ms_delta'], 5);
  deltas.retain();
  assert.equal(deltas.withDeltas({ utime_ms: 40 }, 'tid:1')['utime_ms_delta'], null);
});
