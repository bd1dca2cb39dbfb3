import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WaitReport } from '../../../src/collectors/waiting/wait-report';

test('a wait is reported at 1, 5, 15, 30 and 60 s, then once a minute; warn from 15 s', () => {
  let nowMs = 0;
  const lines: string[] = [];
  const log = {
    error: () => undefined,
    warn: (message: string) => void lines.push(`warn ${message}`),
    info: (message: string) => void lines.push(`info ${message}`),
    debug: () => undefined,
  };
  const report = new WaitReport(log, 'the QMP socket', () => nowMs);
  // A failed look every half second for four minutes, as the connect retries do.
  for (nowMs = 0; nowMs <= 240_000; nowMs += 500) report.failed('why');
  assert.deepEqual(lines, [
    'info waiting for the QMP socket for 1 s: why',
    'info waiting for the QMP socket for 5 s: why',
    'warn waiting for the QMP socket for 15 s: why',
    'warn waiting for the QMP socket for 30 s: why',
    'warn waiting for the QMP socket for 60 s: why',
    'warn waiting for the QMP socket for 120 s: why',
    'warn waiting for the QMP socket for 180 s: why',
    'warn waiting for the QMP socket for 240 s: why',
  ]);
});
