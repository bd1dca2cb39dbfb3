// The single writer of RUN_DIR/events.jsonl. Every collector's events arrive here as messages
// and the orchestrator's own are recorded directly, so there is one file, one writer and no
// interleaving of partial lines. Events are rare and are exactly what must survive a crash, so
// each one is written through at once rather than batched. A write that fails never throws (the
// writer holds the events and retries, see jsonl-writer.ts): the log's own write_failed and
// write_recovered are recorded in it too, stamped when they happened, once it can be written.
import type { ControlBlock } from '../control/control-block';
import { JsonlWriter } from '../sink/jsonl-writer';
import { eventLine } from '../sink/row-format';
import { reportWriteFaults, type WriteFaultSink } from './write-fault-events';

// Events are flushed as they come; the writer's timer only backs that up.
const BACKSTOP_FLUSH_MS = 1000;

export class EventLog {
  private readonly writer: JsonlWriter;
  private readonly control: ControlBlock;

  /** `faults` gets the log's own write faults (its events go to the log itself). */
  constructor(path: string, control: ControlBlock, fileMode: number, faults: Omit<WriteFaultSink, 'event' | 'dropped'>) {
    this.control = control;
    this.writer = new JsonlWriter(path, {
      flushMs: BACKSTOP_FLUSH_MS,
      fileMode,
      onFault: reportWriteFaults({
        ...faults,
        event: (event, fields) => this.record('orchestrator', event, fields),
        // Events that could not be written and did not fit in what the writer holds: only the
        // log can still say so.
        dropped: (events) => faults.log('warn', `${events} events could not be written to ${path} (write_failed)`, { events }),
      }),
    });
  }

  /**
   * Appends `{t_mono_ns, t_wall_ns, source, event, ...fields}`, stamped at `tMonoNs` (default
   * now). The head is the log's own (src/sink/row-format.ts).
   */
  record(source: string, event: string, fields: Record<string, unknown> = {}, tMonoNs = this.control.monoNs()): void {
    this.writer.write(eventLine(source, event, fields, tMonoNs, this.control.wallNsAt(tMonoNs)));
    this.writer.flush();
  }

  close(): void {
    this.writer.close();
  }
}
