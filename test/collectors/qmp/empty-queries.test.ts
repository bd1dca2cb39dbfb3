import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EMPTY_WINDOW_NS, type EmptyQuery, EmptyQueries } from '../../../src/collectors/qmp/empty-queries';

const SECOND_NS = 1_000_000_000n;

test('a query empty in every poll of the first minute is said once, with why; a useful one never', () => {
  const reported: EmptyQuery[] = [];
  const empty = new EmptyQueries((e) => reported.push(e));
  const results = (tS: bigint) => ({
    'query-status': { status: 'running', running: true },
    'query-blockstats': [],
    'query-stats:vm': [],
    'query-stats:vcpu': tS === 30n ? [{ provider: 'kvm', stats: [] }] : [],
    'x-query-custom': {},
  });
  for (let tS = 0n; tS <= 61n; tS++) {
    empty.poll(results(tS), tS * SECOND_NS);
    if (tS * SECOND_NS < EMPTY_WINDOW_NS) assert.deepEqual(reported, [], `nothing said at ${tS} s`);
  }
  assert.deepEqual(reported.map((e) => [e.query, e.polls, e.window_s]), [
    ['query-blockstats', 61, 60],
    ['query-stats:vm', 61, 60],
    ['x-query-custom', 61, 60],
  ]);
  assert.match(reported[0]!.why, /no block device/);
  assert.match(reported[1]!.why, /TCG/);
  assert.match(reported[2]!.why, /nothing in it/);
  empty.poll(results(120n), 120n * SECOND_NS);
  assert.equal(reported.length, 3, 'said once');
});
