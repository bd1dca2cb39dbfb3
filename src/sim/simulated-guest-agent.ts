// The guest agent of the simulated VM: agent rows on agent.sock for whichever client QEMU's
// chardev is serving, pausing while the guest cannot run (the VM is paused) or is told to be
// silent, and the agent-side faults: a malformed burst, a disconnect that comes back.
import { AgentServer } from './agent-server';

// One of each kind of bad line a guest can write: a cut row, text that is not JSON, binary junk.
const MALFORMED_LINES = ['{"seq":12,"t_guest_mono_ns":', 'not json at all', '\u0000\u00ff\ufffd{]'];

export type SilenceReason = 'cue' | 'paused';

export interface GuestAgentOptions {
  path: string;
  ratePerSec: number;
  driftPpm: number;
}

export class SimulatedGuestAgent {
  private readonly silencedBy = new Set<SilenceReason>();
  private wake: () => void = () => undefined;
  private closing = false;

  private constructor(
    private readonly server: AgentServer,
    private readonly options: GuestAgentOptions,
  ) {}

  static async start(options: GuestAgentOptions): Promise<SimulatedGuestAgent> {
    const agent = new SimulatedGuestAgent(await AgentServer.listen(options.path), options);
    void agent.serve();
    return agent;
  }

  /** Stops (`true`) or lets flow (`false`) the rows for `reason`; rows flow when no reason holds. */
  silence(reason: SilenceReason, silent: boolean): void {
    if (silent) {
      this.silencedBy.add(reason);
      this.server.silence();
    } else {
      this.silencedBy.delete(reason);
      this.wake();
    }
  }

  /** Writes `lines` malformed lines between the rows; fails when no client is there to read them. */
  async sendMalformed(lines: number): Promise<void> {
    if (!this.server.connected) throw new Error('no client on the agent socket');
    const burst = Array.from({ length: lines }, (_, i) => `${MALFORMED_LINES[i % MALFORMED_LINES.length]!}\n`).join('');
    await this.server.send(burst);
  }

  /** The socket goes away, as when QEMU's chardev is gone: the client sees EOF, then ENOENT. */
  async goAway(): Promise<void> {
    await this.server.stopListening();
  }

  /** The socket is back on the same path. */
  async comeBack(): Promise<void> {
    if (!this.closing) await this.server.relisten();
  }

  async close(): Promise<void> {
    this.closing = true;
    this.wake();
    await this.server.close();
  }

  // One pass per client: rows while not silenced, a wait for the wake-up while silenced, until
  // the client goes. The AgentServer forgets a client before this loop sees it close.
  private async serve(): Promise<void> {
    while (!this.closing) {
      const client = await this.server.waitForClient();
      // 'close' and not once(): once() rejects on the socket's 'error' (ECONNRESET when vmtel is
      // killed), and that rejection would end the whole simulator.
      const gone = new Promise<void>((resolve) => client.once('close', () => resolve()));
      while (!client.destroyed && !this.closing) {
        const woken = new Promise<void>((resolve) => (this.wake = resolve));
        if (this.silencedBy.size === 0) {
          await this.server.serveRows({ ratePerSec: this.options.ratePerSec, driftPpm: this.options.driftPpm }).done;
        }
        await Promise.race([woken, gone]);
      }
      await gone;
    }
  }
}
