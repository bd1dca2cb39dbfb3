// A guest that never sends a newline must cost bounded memory and linear time: 50 MiB of one
// line is skipped while at most max_line_bytes of it is ever held, and the next row is kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agentRow } from '../../../src/sim/agent-server';
import { readJsonl } from '../../helpers/jsonl';
import { waitFor } from '../../helpers/wait-for';
import { startAgentPair } from './agent-harness';

const MIB = 1024 * 1024;

test('50 MiB without a newline, then a good row: the row is kept, one drop counted, memory bounded', async (t) => {
  const { vmtel, server } = await startAgentPair(t, { max_line_bytes: MIB });
  await server!.waitForClient();
  const piece = Buffer.alloc(64 * 1024, 0x61);
  const baselineBytes = process.memoryUsage().arrayBuffers;
  let peakBytes = baselineBytes;
  for (let sent = 0; sent < 50 * MIB; sent += piece.length) {
    await server!.send(piece);
    peakBytes = Math.max(peakBytes, process.memoryUsage().arrayBuffers);
  }
  await server!.send(`\n${agentRow(0, 1n, 2n)}`);
  await waitFor('the good row after the long line', () => readJsonl(vmtel.outputPath).length === 1, 10_000);
  await vmtel.stop();

  assert.deepEqual(
    readJsonl(vmtel.outputPath).map((row) => row['seq']),
    [0],
  );
  const outcome = vmtel.outcome();
  assert.ok(outcome?.type === 'stopped');
  assert.deepEqual(outcome.counts.dropped, { line_too_long: 1 });
  assert.equal(outcome.counts.stats['bytes_received'], 50 * MIB + 1 + agentRow(0, 1n, 2n).length);
  // max_line_bytes held plus socket buffers in flight; holding the line would be 50 MiB.
  const grewMib = (peakBytes - baselineBytes) / MIB;
  assert.ok(grewMib < 8, `external memory grew by ${grewMib.toFixed(1)} MiB`);
});
