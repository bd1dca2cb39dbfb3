// The test's own hand on a VM: a QMP client on the control monitor (vmtel's qmp collector holds
// the other one, and QMP serves one client per monitor) that sends stop, cont or system_powerdown
// and records QEMU's events.
import { createConnection } from 'node:net';
import type { TestContext } from 'node:test';
import { parseExactJson, type ExactJson } from '../../../src/sink/exact-json';
import { waitFor } from '../../helpers/wait-for';
import { onLines } from './stream-lines';

// QEMU answers a command within milliseconds, even under TCG; a reply this late is a hang.
const REPLY_TIMEOUT_MS = 10_000;

type Message = { [key: string]: ExactJson };

export interface QmpControl {
  /** QEMU's events so far, as sent ({event, data, timestamp}). */
  events: Message[];
  /** Sends `command` and resolves with its `return`; rejects on a QMP error. */
  execute(command: string, args?: Message): Promise<ExactJson>;
}

/** Connects to the monitor at `path` and negotiates; the socket is closed when `t` ends. */
export async function openQmpControl(t: Pick<TestContext, 'after'>, path: string): Promise<QmpControl> {
  const socket = createConnection({ path });
  t.after(() => socket.destroy());
  const messages: Message[] = [];
  const events: Message[] = [];
  onLines(socket, (line) => {
    const message = parseExactJson(line) as Message;
    (typeof message['event'] === 'string' ? events : messages).push(message);
  });
  await waitFor(`the QMP greeting on ${path}`, () => messages.some((m) => 'QMP' in m), REPLY_TIMEOUT_MS);
  let nextId = 1;
  const execute = async (command: string, args?: Message): Promise<ExactJson> => {
    const id = nextId++;
    socket.write(`${JSON.stringify(args === undefined ? { execute: command, id } : { execute: command, arguments: args, id })}\n`);
    const reply = await waitFor(`the reply to ${command}`, () => messages.find((m) => m['id'] === id), REPLY_TIMEOUT_MS);
    if ('error' in reply) throw new Error(`QMP ${command} failed: ${JSON.stringify(reply['error'])}`);
    return reply['return'] ?? null;
  };
  await execute('qmp_capabilities');
  return { events, execute };
}
