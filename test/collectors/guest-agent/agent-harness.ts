// A guest_agent collector running in the test's thread against a fake QEMU agent socket in a
// fresh temp dir, both torn down after the test. Options are short so lifecycle tests are fast.
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { collector } from '../../../src/collectors/guest-agent';
import { AgentServer } from '../../../src/sim/agent-server';
import { type InThreadCollector, startInThread } from '../../helpers/collector-in-thread';
import { tempDir } from '../../helpers/temp-dir';

export interface AgentPair {
  dir: string;
  socketPath: string;
  /** Null when started with `listen: false` (no QEMU yet). */
  server: AgentServer | null;
  vmtel: InThreadCollector;
}

/** Starts the fake agent socket (unless `listen` is false) and the collector connecting to it. */
export async function startAgentPair(
  t: TestContext,
  options: Record<string, unknown> = {},
  listen = true,
): Promise<AgentPair> {
  const dir = tempDir(t);
  const socketPath = join(dir, 'agent.sock');
  const server = listen ? await AgentServer.listen(socketPath) : null;
  const vmtel = startInThread(collector, { runDir: dir, options: { socket: socketPath, ...options }, flushMs: 20 });
  t.after(async () => {
    await vmtel.stop();
    await server?.close();
  });
  return { dir, socketPath, server, vmtel };
}

/** The fields of the events named `event`, in order. */
export function eventFields(vmtel: InThreadCollector, event: string): Array<Record<string, unknown>> {
  return vmtel.events(event).map((message) => message.fields);
}

/** The names of every event so far, in order. */
export function eventNames(vmtel: InThreadCollector): string[] {
  return vmtel.events().map((message) => message.event);
}

/** Every log line so far as "level message", with its fields when it has any. */
export function logLines(vmtel: InThreadCollector): string[] {
  return vmtel.messages.flatMap((m) => (m.type === 'log' ? [`${m.level} ${m.message}${Object.keys(m.fields).length > 0 ? ` ${JSON.stringify(m.fields)}` : ''}`] : []));
}
