// The warnings about dropped guest lines, through a recording collector context (the other side
// of the collector's boundary): the counts, one JSON-quoted sample of the first bad line of each
// report, cut to 160 characters, and the event beside the log line.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { DropWarnings } from '../../../src/collectors/guest-agent/drop-warnings';

const MESSAGE = 'guest-agent: dropped lines the guest sent (counts since the last report)';

function recorded(t: TestContext) {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const counted: string[] = [];
  const warnings: Array<{ message: string; fields: unknown }> = [];
  const events: Array<{ name: string; fields: unknown }> = [];
  const ctx = {
    counters: { drop: (reason: string) => counted.push(reason) },
    log: { warn: (message: string, fields: unknown) => warnings.push({ message, fields }) },
    emit: (name: string, fields: unknown) => events.push({ name, fields }),
  };
  const warningsOf = new DropWarnings(ctx as unknown as ConstructorParameters<typeof DropWarnings>[0], 60_000);
  return { warningsOf, counted, warnings, events };
}

test('the first bad line of a report is its sample, quoted and cut to 160 characters', (t) => {
  const { warningsOf, counted, warnings, events } = recorded(t);
  const first = `{"a":"${'x'.repeat(300)}`;
  warningsOf.drop('partial_line', first);
  warningsOf.drop('malformed_json', '{oops');
  warningsOf.drop('malformed_json', '{again');
  warningsOf.flush();
  assert.deepEqual(counted, ['partial_line', 'malformed_json', 'malformed_json']);
  assert.deepEqual(warnings, [
    { message: MESSAGE, fields: { dropped: { partial_line: 1 }, sample: JSON.stringify(first.slice(0, 160)) } },
    { message: MESSAGE, fields: { dropped: { malformed_json: 2 }, sample: '"{oops"' } },
  ]);
  assert.deepEqual(events, [
    { name: 'guest_agent_rows_dropped', fields: { dropped: { partial_line: 1 } } },
    { name: 'guest_agent_rows_dropped', fields: { dropped: { malformed_json: 2 } } },
  ]);
});

test('drops without text (bytes that were never a line) are reported without a sample', (t) => {
  const { warningsOf, warnings } = recorded(t);
  warningsOf.drop('line_too_long');
  warningsOf.flush();
  assert.deepEqual(warnings, [{ message: MESSAGE, fields: { dropped: { line_too_long: 1 } } }]);
});
