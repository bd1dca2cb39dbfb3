// How a JSONL writer's faults (sink/write-faults.ts) reach an analyst: `write_failed` and
// `write_recovered` events with their counts, a log line each, rows that could not be kept
// counted as dropped (`write_failed`), and a file system gone read-only ending the episode
// (`run_dir_lost`): no retry can succeed there, and rows would pile up uncounted.
import type { LogLevel } from '../collectors/contract';
import { type WriteFaultListener } from '../sink/write-faults';

/** The episode's stop reason when its run dir was removed or became read-only. */
export const RUN_DIR_LOST = 'run_dir_lost';

/** errno codes of a write or a file creation that mean the run dir is gone for this episode. */
export const RUN_DIR_LOST_CODES: ReadonlySet<string> = new Set(['EROFS', 'ENOENT', 'ENOTDIR']);

export interface WriteFaultSink {
  event(event: string, fields: Record<string, unknown>): void;
  log(level: LogLevel, message: string, fields: Record<string, unknown>): void;
  /** `rows` could not be written: count them as dropped, not as rows. */
  dropped(rows: number): void;
  endEpisode(reason: string): void;
}

/** A listener for a JsonlWriter that reports its faults to `sink`. */
export function reportWriteFaults(sink: WriteFaultSink): WriteFaultListener {
  return (fault) => {
    switch (fault.kind) {
      case 'rows_dropped':
        sink.dropped(fault.rows);
        return;
      case 'write_failed': {
        const { kind, ...fields } = fault;
        sink.event(kind, fields);
        sink.log('warn', `writing ${fault.file} failed (${fault.code}); holding ${fault.held_rows} rows and retrying`, fields);
        if (RUN_DIR_LOST_CODES.has(fault.code)) sink.endEpisode(RUN_DIR_LOST);
        return;
      }
      case 'write_recovered': {
        const { kind, ...fields } = fault;
        sink.event(kind, fields);
        sink.log('info', `writing ${fault.file} works again after ${fault.failed_ms} ms (${fault.dropped_rows} rows dropped)`, fields);
        return;
      }
      default:
        throw new Error(`unknown write fault: ${JSON.stringify(fault satisfies never)}`);
    }
  };
}
