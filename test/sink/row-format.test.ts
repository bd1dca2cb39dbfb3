// The one owner of the line format: every row and event begins with the runtime's head, and no
// field of a collector can take a head key's place, so `source` and the stamps are always the
// runtime's. A user's module gets no way to hand over whole lines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { moduleContext, type BuiltInContext } from '../../src/collectors/contract';
import { eventLine, HOST_OWNED_KEYS, RowFormat } from '../../src/sink/row-format';

const format = new RowFormat('qmp', false);

test('a row is the head, then the fields; bigints exact; no fields is a head alone', () => {
  const head = format.head(5n, 1764234567890123457n);
  assert.equal(head, '{"t_mono_ns":5,"t_wall_ns":1764234567890123457,"source":"qmp","available_in_deployment":false');
  assert.equal(format.line(head, { n: 18446744073709551615n, s: 'x' }), `${head},"n":18446744073709551615,"s":"x"}\n`);
  assert.equal(format.line(head, {}), `${head}}\n`);
  assert.equal(format.sampledHead(5n, 6n), '{"t_mono_ns":5,"t_wall_ns":6,"source":"qmp","available_in_deployment":false,"t_guest_host_ns":');
});

test("a collector's field under a host-owned name is kept as field_<name>, never as the head's", () => {
  const line = format.line(format.head(1n, 2n), { source: 'forged', t_mono_ns: 9, field_source: 'mine', x: 1 });
  const row = JSON.parse(line) as Record<string, unknown>;
  assert.equal(row['source'], 'qmp');
  assert.equal(row['t_mono_ns'], 1);
  assert.equal(row['field_t_mono_ns'], 9);
  assert.equal(row['field_source'], 'mine');
  assert.equal(row['field_field_source'], 'forged');
  assert.equal(row['x'], 1);
  // Each key once: a later duplicate would win in JSON.parse.
  assert.equal(line.match(/"source":/g)?.length, 1);
  for (const key of HOST_OWNED_KEYS) assert.ok((line.match(new RegExp(`"${key}":`, 'g'))?.length ?? 0) <= 1, key);
});

test("an event's head is the log's; a field reusing its names is kept as field_<name>", () => {
  const line = eventLine('orchestrator', 'collector_started', { event: 'other', source: 's', n: 3n }, 7n, 8n);
  assert.equal(line, '{"t_mono_ns":7,"t_wall_ns":8,"source":"orchestrator","event":"collector_started","field_event":"other","field_source":"s","n":3}\n');
});

test("a user's module gets rows one at a time through the head, never the hot path", () => {
  const written: unknown[] = [];
  const rows = {
    format,
    write: (fields: Record<string, unknown>) => void written.push(fields),
    writeHeaded: () => assert.fail('the hot path reached a module'),
  };
  const ctx = moduleContext({ rows } as unknown as BuiltInContext<unknown>);
  assert.deepEqual(Object.keys(ctx.rows), ['write']);
  ctx.rows.write({ a: 1 });
  assert.deepEqual(written, [{ a: 1 }]);
});
