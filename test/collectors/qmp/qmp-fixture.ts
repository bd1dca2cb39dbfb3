// A QMP fake listening in a fresh run dir and the qmp collector running in the test's thread
// against it, both torn down after the test. Polls are fast (50 ms) so a test sees several in
// well under a second.
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { collector as qmpCollector } from '../../../src/collectors/qmp';
import { QmpServer, type QmpServerOptions } from '../../../src/sim/qmp-server';
import { startInThread, type InThreadCollector } from '../../helpers/collector-in-thread';
import { tempDir } from '../../helpers/temp-dir';

// Short enough for several polls per test, long enough that a loaded 2-core box keeps up.
export const TEST_INTERVAL_MS = 50;

export interface QmpPair {
  runDir: string;
  socketPath: string;
  server: QmpServer;
  collector: InThreadCollector;
}

/** A fake QEMU on RUN_DIR/qmp.sock and the collector polling it. */
export async function startQmpPair(
  t: TestContext,
  serverOptions: Omit<QmpServerOptions, 'path'> = {},
  collectorOptions: Record<string, unknown> = {},
): Promise<QmpPair> {
  const runDir = tempDir(t);
  const socketPath = join(runDir, 'qmp.sock');
  const server = await QmpServer.listen({ path: socketPath, ...serverOptions });
  t.after(() => server.close());
  const collector = startQmpCollector(t, runDir, collectorOptions);
  return { runDir, socketPath, server, collector };
}

/** The qmp collector in this thread, stopped after the test. */
export function startQmpCollector(t: TestContext, runDir: string, options: Record<string, unknown> = {}): InThreadCollector {
  const collector = startInThread(qmpCollector, { runDir, options: { interval_ms: TEST_INTERVAL_MS, ...options } });
  t.after(() => collector.stop());
  return collector;
}
