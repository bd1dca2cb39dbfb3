// What the episode's markers say so far, for `vmtel status`: how many, the last one, and the
// phase the episode is in (the last phase marker's, until the next one or the end). A process
// that continues an episode (a crash restart, --continue) reads the earlier markers back from
// events.jsonl, so the phase survives a restart.
import { readFileSync } from 'node:fs';
import { parseExactJson } from '../sink/exact-json';
import type { Labels } from './labels';

export interface Marker {
  name: string;
  phase: boolean;
  labels: Labels;
  tMonoNs: bigint;
}

export class MarkerBook {
  count = 0;
  last: Marker | null = null;
  phase: Marker | null = null;

  add(marker: Marker): void {
    this.count += 1;
    this.last = marker;
    if (marker.phase) this.phase = marker;
  }

  /** Adds the control markers an earlier process recorded in `eventsPath` (none when it is absent). */
  readEarlier(eventsPath: string): void {
    let text: string;
    try {
      text = readFileSync(eventsPath, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const line of text.split('\n')) {
      // Cheap test first: events.jsonl is mostly other events.
      if (!line.includes('"event":"marker"')) continue;
      const event = parseExactJson(line) as Record<string, unknown>;
      if (event['source'] !== 'control' || event['event'] !== 'marker') continue;
      this.add({ name: String(event['name']), phase: event['phase'] === true, labels: (event['labels'] ?? {}) as Labels, tMonoNs: BigInt(event['t_mono_ns'] as number | bigint) });
    }
  }
}
