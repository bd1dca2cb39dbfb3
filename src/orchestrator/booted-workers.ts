// The collectors' workers boot while the main thread takes the run dir, reads the manifest and
// opens the control socket: a worker's boot (a Node environment, the worker bundle, its
// collector's code) is most of an episode's start, and that setup, done first, left the second
// core idle. A booted worker runs nothing until its supervisor gives it its setup, which comes
// after the manifest holds the timeline's origin, so no row is written before that.
import type { Worker } from 'node:worker_threads';
import type { CollectorEntry } from '../config/collector-entry';
import { spawnCollectorWorker } from './worker-spawn';

interface Booting {
  worker: Worker;
  // Set when the thread failed or ended while booting; its supervisor then starts a fresh one,
  // whose failure, if it fails again, goes the way of every other.
  lost: boolean;
  onLost: () => void;
}

export class BootedWorkers {
  private readonly booting = new Map<string, Booting>();

  /** Starts a worker for each of `entries` (the enabled collectors). */
  static boot(entries: readonly CollectorEntry[]): BootedWorkers {
    const booted = new BootedWorkers();
    for (const entry of entries) {
      const worker = spawnCollectorWorker(entry);
      const booting: Booting = { worker, lost: false, onLost: () => (booting.lost = true) };
      worker.on('error', booting.onLost);
      worker.once('exit', booting.onLost);
      booted.booting.set(entry.name, booting);
    }
    return booted;
  }

  /** The worker booted for `name`, once; null when there is none, or it did not survive its boot. */
  take(name: string): Worker | null {
    const booting = this.booting.get(name);
    if (booting === undefined) return null;
    this.booting.delete(name);
    booting.worker.off('error', booting.onLost);
    booting.worker.off('exit', booting.onLost);
    if (!booting.lost) return booting.worker;
    void booting.worker.terminate();
    return null;
  }

  /** Ends every worker not taken (the episode did not start); resolves once their threads are gone. */
  async discard(): Promise<void> {
    const left = [...this.booting.values()];
    this.booting.clear();
    await Promise.all(left.map(({ worker }) => worker.terminate()));
  }
}
