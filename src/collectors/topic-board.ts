// The latest value of every topic a collector's thread knows, and its subscribers. Both sides of
// a topic go through the topic's one check (topics.ts): a publisher's value before it leaves,
// and a value that arrives before any handler sees it.
import type { Topic } from './topics';

export class TopicBoard {
  private readonly values: Map<string, unknown>;
  private readonly handlers = new Map<string, Array<(value: unknown) => void>>();

  /** `initial`: the values published before this thread started. */
  constructor(initial: Record<string, unknown> = {}) {
    this.values = new Map(Object.entries(initial));
  }

  /** Keeps a value this thread publishes as the latest; a value the check refuses is a bug, thrown. */
  keep<T>(topic: Topic<T>, value: T): void {
    if (topic.parse(value) === null) throw new Error(`published a value of another shape on topic ${topic.name}`);
    this.values.set(topic.name, value);
  }

  /** A value of topic `name` arrived: it becomes the latest, and every subscriber gets it. */
  deliver(name: string, value: unknown): void {
    this.values.set(name, value);
    for (const handler of this.handlers.get(name) ?? []) handler(value);
  }

  /** Calls `handler` with every checked value of `topic`, now if one exists; `warn` hears of refused ones. */
  subscribe<T>(topic: Topic<T>, handler: (value: T) => void, warn: (message: string, fields: Record<string, unknown>) => void): void {
    const checked = (value: unknown): void => {
      const parsed = topic.parse(value);
      if (parsed === null) warn(`a value of another shape on topic ${topic.name} was ignored`, { topic: topic.name });
      else handler(parsed);
    };
    this.handlers.set(topic.name, [...(this.handlers.get(topic.name) ?? []), checked]);
    if (this.values.has(topic.name)) checked(this.values.get(topic.name));
  }
}
