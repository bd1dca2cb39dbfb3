// One connection to the guest agent, from connect to close: its bytes become rows (framed,
// validated, stamped per read, written once per read) and its lifecycle becomes events, so a
// silent, stalled or vanished agent is visible in the dataset and not just as fewer rows.
import type { Socket } from 'node:net';
import type { BuiltInContext } from '../contract';
import type { DropWarnings } from './drop-warnings';
import { LineFramer } from '../unix-client/line-framer';
import type { GuestAgentOptions } from './options';
import { type ClockEvents, clockEvents } from './clock-events';
import { GuestClock } from './guest-clock';
import { RowBatch } from './row-batch';
import { SilenceWatch } from './silence-watch';

export type GuestAgentContext = BuiltInContext<GuestAgentOptions>;

export interface SessionEnd {
  reason: 'peer_closed' | 'socket_error' | 'stopped';
  rows: number;
  receivedBytes: number;
  longestSilenceNs: bigint;
}

export class GuestSession {
  private readonly framer: LineFramer;
  private readonly batch: RowBatch;
  private readonly silence: SilenceWatch;
  private readonly clock: GuestClock;
  private readonly clockEvents: ClockEvents;
  private rows = 0;
  private receivedBytes = 0;

  /** Starts a session for a connection made just now; emits guest_agent_connected. */
  constructor(
    private readonly ctx: GuestAgentContext,
    drops: DropWarnings,
  ) {
    const { options, clock, log } = ctx;
    this.clockEvents = clockEvents(ctx, () => this.clock);
    this.clock = new GuestClock(clock.originNs + clock.wallOffsetNs, options.clock_step_threshold_ms * 1e6, this.clockEvents);
    this.batch = new RowBatch(ctx.rows.format, options.max_depth, (reason, line) => drops.drop(reason, line), this.clock);
    this.framer = new LineFramer(options.max_line_bytes, {
      onLines: (buf, start, end) => this.batch.addLines(buf, start, end),
      onOversized: () => drops.drop('line_too_long'),
    });
    ctx.emit('guest_agent_connected', { socket_path: options.socket });
    log.info('guest-agent: connected', { socket_path: options.socket });
    const limits = { silentWarnAfterMs: options.silent_warn_after_s * 1000, stallWarnAfterMs: options.stall_warn_after_s * 1000 };
    this.silence = new SilenceWatch(() => clock.monoNs(), limits, {
      firstByte: (waitS) => {
        log.info(`guest-agent: first byte ${waitS.toFixed(2)} s after connect`);
        ctx.emit('guest_agent_first_byte', { wait_after_connect_s: waitS });
      },
      silentWindow: (windowS) => {
        log.warn(
          `guest-agent: socket connected but no bytes after ${windowS} s: the in-guest agent likely crashed ` +
            "or isn't writing to /dev/virtio-ports/cis490.guest.agent",
        );
        ctx.emit('guest_agent_silent_window', { window_s: windowS });
      },
      stalled: (silentS) => {
        log.warn(`guest-agent: no bytes for ${silentS.toFixed(1)} s after data had flowed`);
        ctx.emit('guest_agent_stalled', { silent_s: silentS });
      },
      resumed: (silentS) => {
        log.info(`guest-agent: bytes again after ${silentS.toFixed(1)} s of silence`);
        ctx.emit('guest_agent_resumed', { silent_s: silentS });
      },
    });
  }

  /** The hot path: one read of the socket, stamped once, its rows written with one call. */
  read(chunk: Buffer): void {
    const { clock, rows, counters } = this.ctx;
    const tMonoNs = clock.monoNs();
    this.receivedBytes += chunk.length;
    counters.add('bytes_received', chunk.length);
    this.silence.bytes(tMonoNs);
    this.batch.begin(tMonoNs, clock.wallNsAt(tMonoNs));
    this.framer.push(chunk);
    this.batch.end();
    if (this.batch.count === 0) return;
    rows.writeHeaded(this.batch.lines, this.batch.count);
    this.rows += this.batch.count;
  }

  /** Resolves when `socket` has closed, by the peer or because the episode stops. */
  whenClosed(socket: Socket): Promise<SessionEnd> {
    const { stopSignal, log } = this.ctx;
    return new Promise((resolve) => {
      let reason: SessionEnd['reason'] = 'peer_closed';
      // Bytes the kernel already holds were sent before the stop: one more turn of the event
      // loop polls the socket, whose reads take all of them (up to 32 reads), then it closes.
      const stop = (): void => {
        reason = 'stopped';
        setImmediate(() => setImmediate(() => socket.destroy()));
      };
      socket.on('error', (err) => {
        if (reason === 'stopped') return;
        reason = 'socket_error';
        log.warn('guest-agent: socket error', { error: err.message });
      });
      socket.once('close', () => {
        stopSignal.removeEventListener('abort', stop);
        resolve(this.end(reason));
      });
      if (stopSignal.aborted) stop();
      else stopSignal.addEventListener('abort', stop, { once: true });
    });
  }

  private end(reason: SessionEnd['reason']): SessionEnd {
    this.silence.end(this.ctx.clock.monoNs());
    const partialBytes = this.framer.reset();
    // Counted, not warned about: guest_agent_disconnected reports it with its size.
    if (partialBytes > 0) this.ctx.counters.drop('partial_line');
    this.clockEvents.end(this.clock);
    this.ctx.emit('guest_agent_disconnected', { reason, rows: this.rows, partial_bytes_dropped: partialBytes });
    this.ctx.log.info('guest-agent: disconnected', { reason, rows: this.rows });
    return { reason, rows: this.rows, receivedBytes: this.receivedBytes, longestSilenceNs: this.silence.longestSilenceNs };
  }
}
