// The /proc parsers every sampler runs once a second, held to the exact fields of known lines:
// they pick fields out without splitting or matching what they do not need, and must still give
// what a full split and match gave, edge cases included.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCpuTimes } from '../../src/proc/cpu-times';
import { parseNumericFields } from '../../src/proc/numeric-fields';
import { parsePidStat } from '../../src/proc/pid-stat';

// Fields 3..52 of a stat line: state "S", then field n holds n * 10 (utime, field 14, is 140 ticks).
const fields = (count: number): string => ['S', ...Array.from({ length: count - 1 }, (_, i) => String((i + 4) * 10))].join(' ');

test('a stat line: comm cut at the last ")", each field read by its number', () => {
  assert.deepEqual(parsePidStat(`4242 (CPU 0/KVM) (x) ${fields(50)}\n`), {
    comm: 'CPU 0/KVM) (x',
    state: 'S',
    minflt: 100,
    majflt: 120,
    utime_ms: 1400,
    stime_ms: 1500,
    num_threads: 200,
    starttime_ticks: 220,
    vsize_bytes: 230,
    processor: 390,
  });
});

test('a stat line ending at field 39 is whole; one field short is not a stat line', () => {
  assert.equal(parsePidStat(`1 (a) ${fields(37)}`)?.processor, 390);
  assert.equal(parsePidStat(`1 (a) ${fields(37)}\n`)?.processor, 390, 'a trailing newline is not part of the last field');
  assert.equal(parsePidStat(`1 (a) ${fields(36)}`), null);
  assert.equal(parsePidStat('1 (a)'), null);
  assert.equal(parsePidStat('no parentheses'), null);
});

test('an empty field (two spaces) is a field of its own, read as 0', () => {
  const stat = parsePidStat(`1 (a) ${fields(50).replace(' 100 ', '  ')}`);
  assert.equal(stat?.minflt, 0, 'field 10 emptied');
  assert.equal(stat?.majflt, 120, 'the fields after it keep their numbers');
  assert.equal(parsePidStat(`1 (a) S  ${fields(49).slice(2)}`)?.minflt, 90, 'an empty field 4 moves every later value up one number');
});

test('/proc/stat: cpu lines and the system counters; intr and softirq are passed over', () => {
  const text = ['cpu  100 2 30 400 5 0 6 0 0 0', 'cpu0 50 1 15 200', 'intr 99 1 2 3', 'ctxt\t777', 'btime 5', 'processes 12', 'procs_running 3', 'procs_blocked 0', 'softirq 1 2', 'cpux 1', ''].join('\n');
  const { cpus, system } = parseCpuTimes(text);
  assert.deepEqual([...cpus.keys()], ['cpu', 'cpu0']);
  assert.deepEqual(cpus.get('cpu0'), { user_ms: 500, nice_ms: 10, system_ms: 150, idle_ms: 2000 });
  assert.equal(cpus.get('cpu')?.softirq_ms, 60);
  assert.deepEqual(system, { ctxt: 777, processes: 12, procs_running: 3, procs_blocked: 0 });
});

test('numeric lines with a pick: only picked names, a line without ":" or of another shape left out', () => {
  const text = 'Name:\tqemu\nVmRSS:\t  2048 kB\nVmRS 5 kB\nThreads:\t7\nvoluntary_ctxt_switches:\t41\nVmSwap: 1 kB extra\n';
  assert.deepEqual(parseNumericFields(text, new Set(['VmRSS', 'VmRS', 'Name', 'VmSwap'])), { VmRSS_bytes: 2048 * 1024 });
  assert.deepEqual(parseNumericFields(text), { VmRSS_bytes: 2048 * 1024, Threads: 7, voluntary_ctxt_switches: 41 });
});
