// Paces what one collector publishes to its siblings. The main thread relays every publish to
// every other worker, so a collector publishing in a loop could starve it as an event flood would.
// A topic is a latest-value-wins fact (qmp's vCPU threads), so pacing loses nothing a sibling
// could use: within the collector's budget a publish goes at once; past it only each topic's
// latest value is kept and sent with the next summary. Topics held at once are bounded too.
import { SUMMARY_MS, TokenBucket } from './event-budget';

// Publishes a collector may send at once, and per second, before values are coalesced.
const PUBLISH_BURST = 100;
const PUBLISHES_PER_S = 10;
// A collector inventing topics cannot grow the held values without bound: beyond these, a new
// topic's value is dropped and counted.
const MAX_HELD_TOPICS = 256;

export class PublishPacer {
  private readonly bucket = new TokenBucket(PUBLISH_BURST, PUBLISHES_PER_S);
  private readonly held = new Map<string, unknown>();
  private timer: NodeJS.Timeout | undefined;
  /** Values replaced by a later one of their topic before they were sent, or dropped. */
  coalesced = 0;

  constructor(private readonly send: (topic: string, value: unknown) => void) {}

  publish(topic: string, value: unknown): void {
    if (!this.held.has(topic) && this.bucket.take()) return this.send(topic, value);
    if (this.held.has(topic) || this.held.size < MAX_HELD_TOPICS) {
      if (this.held.has(topic)) this.coalesced += 1;
      this.held.set(topic, value);
    } else {
      this.coalesced += 1;
    }
    // unref'd: held values must not keep a finished thread alive; flush() sends them anyway.
    this.timer ??= setTimeout(() => this.flush(), SUMMARY_MS).unref();
  }

  /** Sends every held value now (each period, and when the collector ends). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const [topic, value] of this.held) this.send(topic, value);
    this.held.clear();
  }
}
