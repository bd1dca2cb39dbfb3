// The manifest is rewritten every few seconds while the episode runs. A rewrite that fails (a
// full disk) is an event and a retry at the next rewrite, never a crash: the manifest on disk
// stays the last whole one. A rewrite that finds the run dir gone (ENOENT) or read-only (EROFS)
// tells the episode, which stops cleanly: nothing it records from then on would be kept.
import type { Logger } from '../log/logger';
import type { EventLog } from './event-log';
import { writeManifest, type Manifest } from './manifest';
import { RUN_DIR_LOST_CODES } from './write-fault-events';

export class ManifestKeeper {
  private failedAtMs: number | null = null;
  private failures = 0;

  constructor(
    private readonly runDir: string,
    private readonly fileMode: number,
    private readonly events: EventLog,
    private readonly logger: Logger,
    private readonly onRunDirLost: (code: string) => void,
  ) {}

  /** Rewrites the manifest; false when it could not (already reported). */
  write(manifest: Manifest, durable = true): boolean {
    try {
      writeManifest(this.runDir, manifest, { durable, fileMode: this.fileMode });
    } catch (err) {
      this.failed(err as NodeJS.ErrnoException);
      return false;
    }
    if (this.failedAtMs !== null) {
      const fields = { failed_ms: Math.round(performance.now() - this.failedAtMs), failed_attempts: this.failures };
      this.events.record('orchestrator', 'manifest_write_recovered', fields);
      this.logger.info('the manifest is written again', fields);
      this.failedAtMs = null;
    }
    return true;
  }

  private failed(err: NodeJS.ErrnoException): void {
    const code = err.code ?? 'EIO';
    if (this.failedAtMs === null) {
      this.failedAtMs = performance.now();
      this.failures = 0;
      this.events.record('orchestrator', 'manifest_write_failed', { code, error: err.message });
      this.logger.warn(`rewriting the manifest failed (${code}); it keeps its last whole version and is tried again`, { code });
    }
    this.failures += 1;
    if (RUN_DIR_LOST_CODES.has(code)) this.onRunDirLost(code);
  }
}
