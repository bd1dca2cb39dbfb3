// `vmtel check --once`, after Telegraf's --test: every enabled collector runs in this process
// until it has its first rows (one sample; the guest agent's first few rows) or the time is up,
// and what it produced is printed. Nothing is written: no run dir, no files, no lock.
import { builtInKind } from '../collectors/registry';
import { moduleContext, type BuiltInContext, type CollectorOutcome } from '../collectors/contract';
import type { OptionSchema, OptionsOf } from '../config/option-spec';
import type { CollectorEntry } from '../config/collector-entry';
import type { EpisodeConfig } from '../config/episode-config';
import { ControlBlock } from '../control/control-block';
import { loadCollectorModule } from '../orchestrator/load-collector-module';
import { fail, ok, type CheckResult } from './check-result';
import { TopicBoard } from '../collectors/topic-board';
import { onceContext, type OnceCapture, type SharedTopics } from './once-context';

// The guest agent's rows differ one from the next; a few show what it sends.
const GUEST_ROWS = 3;

export interface OnceOutcome {
  result: CheckResult;
  capture: OnceCapture;
}

/** Runs every enabled collector of `config` to its first rows, at most `timeoutMs`. */
export async function sampleOnce(config: EpisodeConfig, timeoutMs: number): Promise<OnceOutcome[]> {
  const control = ControlBlock.create();
  const shared: SharedTopics = new TopicBoard();
  return Promise.all(config.collectors.filter((c) => c.enabled).map((collector) => sampleCollector(collector, control, shared, timeoutMs)));
}

async function sampleCollector(collector: CollectorEntry, control: ControlBlock, shared: SharedTopics, timeoutMs: number): Promise<OnceOutcome> {
  const run = await runnerOf(collector);
  const wanted = collector.kind === 'guest_agent' && collector.module === undefined ? GUEST_ROWS : 1;
  const stop = new AbortController();
  const { ctx, capture } = onceContext(collector, control, shared, wanted, stop);
  const timer = setTimeout(() => stop.abort(), timeoutMs);
  let outcome: string;
  try {
    outcome = (await run(ctx)).reason;
  } catch (err) {
    outcome = `failed: ${(err as Error).message}`;
  } finally {
    clearTimeout(timer);
  }
  const n = capture.rows.length;
  const result =
    n > 0
      ? ok(collector.name, `${n} row${n === 1 ? '' : 's'}`)
      : fail(collector.name, `no row within ${timeoutMs / 1000} s (${whyNoRow(capture, stop.signal.aborted ? null : outcome)})`);
  return { result, capture };
}

type Run = (ctx: BuiltInContext<OptionsOf<OptionSchema>>) => Promise<CollectorOutcome>;

// A user's module gets its rows one at a time, as in an episode (collector-runtime.ts).
async function runnerOf(collector: CollectorEntry): Promise<Run> {
  // The config loader has already loaded and checked every definition: neither can fail here.
  if (collector.module === undefined) {
    const definition = builtInKind(collector.kind)!;
    return (ctx) => definition.run(ctx);
  }
  const definition = await loadCollectorModule(collector.module);
  return (ctx) => definition.run(moduleContext(ctx));
}

// What the collector was doing when time ran out: its last warning, else its last event.
function whyNoRow(capture: OnceCapture, endedWith: string | null): string {
  const ended = endedWith === null ? 'still waiting' : `ended: ${endedWith}`;
  const last = capture.warnings.at(-1) ?? capture.events.at(-1)?.split(' ')[0];
  return last === undefined ? ended : `${ended}; last: ${last}`;
}
