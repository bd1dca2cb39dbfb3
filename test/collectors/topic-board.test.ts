// Both sides of a topic use its one check: a publisher's value of another shape is refused
// before it leaves the thread, and a value that arrives of another shape never reaches a
// subscriber (logged instead); a good value reaches every subscriber, now and on each change.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TopicBoard } from '../../src/collectors/topic-board';
import { VCPU_THREADS, type Topic, type VcpuThread } from '../../src/collectors/topics';

test('a subscriber gets the checked latest value at once and every delivered one after', () => {
  const board = new TopicBoard({ [VCPU_THREADS.name]: [{ cpu_index: 0, thread_id: 10 }, 'junk', { cpu_index: '1', thread_id: 11 }] });
  const seen: Array<readonly VcpuThread[]> = [];
  const warnings: string[] = [];
  board.subscribe(VCPU_THREADS, (threads) => seen.push(threads), (message) => warnings.push(message));
  board.deliver(VCPU_THREADS.name, [{ cpu_index: 1, thread_id: 12 }]);
  board.deliver(VCPU_THREADS.name, { not: 'a list' });
  assert.deepEqual(seen, [[{ cpu_index: 0, thread_id: 10 }], [{ cpu_index: 1, thread_id: 12 }]]);
  assert.deepEqual(warnings, ['a value of another shape on topic qmp.vcpu_threads was ignored']);
});

test('a published value of another shape is refused on the publishing side', () => {
  const board = new TopicBoard();
  const count: Topic<number> = { name: 'test.count', parse: (value) => (Number.isSafeInteger(value) ? (value as number) : null) };
  board.keep(count, 3);
  assert.throws(() => board.keep(count, 1.5), /another shape on topic test\.count/);
  const seen: number[] = [];
  board.subscribe(count, (value) => seen.push(value), () => assert.fail('no warning expected'));
  assert.deepEqual(seen, [3]);
});
