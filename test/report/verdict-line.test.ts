import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runDirVerdictLine, verdictLine } from '../../src/report/verdict-line';
import { tempDir } from '../helpers/temp-dir';
import { writeSyntheticRunDir } from '../helpers/synthetic-run-dir';

test('the verdict line names the first two reasons and counts the rest', () => {
  const reason = (message: string) => ({ rule: 'gap', severity: 'warning' as const, message });
  assert.equal(verdictLine({ level: 'ok', reasons: [] }), 'verdict ok');
  assert.equal(verdictLine({ level: 'warning', reasons: [reason('a'), reason('b'), reason('c')] }), 'verdict warning: a; b (+1 more)');
});

test('at stop, an episode with more rows than the bound is left to vmtel report', async (t) => {
  const runDir = join(tempDir(t), 'run');
  writeSyntheticRunDir(runDir, { durationS: 20, guest: { rateHz: 20 } });
  assert.match(await runDirVerdictLine(runDir), /^verdict ok \(vmtel report .* for the figures\)$/);
  assert.equal(await runDirVerdictLine(runDir, 1024), `verdict not made at stop: ${(statSync(join(runDir, 'telemetry-guest_agent.jsonl')).size / 2 ** 20).toFixed(1)} MiB of rows to read; run vmtel report ${runDir}`);
});
