// A collector context for `vmtel check --once`: the collector runs in this thread exactly as in
// a worker, but its rows and events stay in memory to be printed, and nothing touches the run
// dir. It stops itself once it has the rows asked for.
import type { BuiltInContext } from '../collectors/contract';
import type { TopicBoard } from '../collectors/topic-board';
import type { CollectorEntry } from '../config/collector-entry';
import type { OptionSchema, OptionsOf } from '../config/option-spec';
import { episodeClock, type ControlBlock } from '../control/control-block';
import { toJson } from '../sink/json-line';
import { RowFormat } from '../sink/row-format';

export interface OnceCapture {
  rows: string[];
  events: string[];
  warnings: string[];
}

/** Topics collectors share (qmp's vCPU threads for qemu_process), as in an episode. */
export type SharedTopics = TopicBoard;

/** A context for `collector` whose `stop` aborts once `wantedRows` rows were written. */
export function onceContext(
  collector: CollectorEntry,
  control: ControlBlock,
  shared: SharedTopics,
  wantedRows: number,
  stop: AbortController,
): { ctx: BuiltInContext<OptionsOf<OptionSchema>>; capture: OnceCapture } {
  const capture: OnceCapture = { rows: [], events: [], warnings: [] };
  const format = new RowFormat(collector.name, collector.available_in_deployment);
  const took = (lines: string[]): void => {
    // More rows than asked for can come in the read that brought the last wanted one.
    capture.rows.push(...lines.slice(0, Math.max(0, wantedRows - capture.rows.length)));
    if (capture.rows.length >= wantedRows) stop.abort();
  };
  const warn = (message: string): void => void capture.warnings.push(message);
  const ctx: BuiltInContext<OptionsOf<OptionSchema>> = {
    name: collector.name,
    kind: collector.kind,
    options: collector.options as OptionsOf<OptionSchema>,
    runDir: '',
    clock: episodeClock(control),
    stopSignal: stop.signal,
    rows: {
      format,
      write(fields, tMonoNs = control.monoNs()) {
        took([format.line(format.head(tMonoNs, control.wallNsAt(tMonoNs)), fields).slice(0, -1)]);
      },
      writeHeaded(lines) {
        took(lines.split('\n').filter((line) => line !== ''));
      },
    },
    counters: { drop: () => undefined, set: () => undefined, add: () => undefined },
    log: { error: warn, warn, info: () => undefined, debug: () => undefined },
    emit(event, fields = {}) {
      capture.events.push(`${event} ${toJson(fields)}`);
    },
    endEpisode: () => stop.abort(),
    // Every collector of `check --once` runs in this thread: a publish reaches its siblings at once.
    publish(topic, value) {
      shared.keep(topic, value);
      shared.deliver(topic.name, value);
    },
    subscribe: (topic, handler) => shared.subscribe(topic, handler, warn),
  };
  return { ctx, capture };
}
