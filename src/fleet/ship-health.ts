// What the shipper tells about itself: a stall once when it starts (ship_stalled, with the code
// and the lag), once when it ends (ship_resumed), and a lag that lasts (ship_lag), rarely. Each
// of these becomes an events.jsonl line, which is shipped too: they must stay few.
import { serializeError } from '../errors';
import { natsFailure } from './nats-client';

// A lag this long is told as a ship_lag event, at most once per LAG_EVENT_EVERY_MS.
const LAG_EVENT_AFTER_MS = 5000;
const LAG_EVENT_EVERY_MS = 30_000;

export interface ShipperReport {
  event(event: string, fields: Record<string, unknown>): void;
  log(level: 'error' | 'warn' | 'info' | 'debug', message: string): void;
}

export class ShipHealth {
  private stalledSinceMs: number | null = null;
  private laggingSinceMs: number | null = null;
  private lagToldMs = 0;

  constructor(private readonly report: ShipperReport) {}

  /** A pass failed: the servers are away, slow or refusing. */
  stalled(err: unknown, lagBytes: number): void {
    const failure = serializeError(natsFailure(err, 'shipping'), 'VMTEL_SHIP_UNREACHABLE');
    if (this.stalledSinceMs !== null) {
      this.report.log('debug', `still stalled: ${failure.message} [${failure.code}]`);
      return;
    }
    this.stalledSinceMs = Date.now();
    this.report.event('ship_stalled', { code: failure.code, message: failure.message, lag_bytes: lagBytes });
    const level = failure.code === 'VMTEL_SHIP_REFUSED' ? 'error' : 'warn';
    this.report.log(level, `shipping stalled, recording goes on: ${failure.message} [${failure.code}]`);
  }

  /** A pass went through; `lagBytes` are still to ship. */
  shipped(lagBytes: number): void {
    const now = Date.now();
    if (this.stalledSinceMs !== null) {
      const stalledS = (now - this.stalledSinceMs) / 1000;
      this.stalledSinceMs = null;
      this.report.event('ship_resumed', { stalled_s: stalledS, lag_bytes: lagBytes });
      this.report.log('info', `shipping resumed after ${stalledS.toFixed(1)} s`);
    }
    if (lagBytes === 0) {
      this.laggingSinceMs = null;
      return;
    }
    this.laggingSinceMs ??= now;
    if (now - this.laggingSinceMs >= LAG_EVENT_AFTER_MS && now - this.lagToldMs >= LAG_EVENT_EVERY_MS) {
      this.lagToldMs = now;
      this.report.event('ship_lag', { lag_bytes: lagBytes, lag_s: (now - this.laggingSinceMs) / 1000 });
    }
  }
}
