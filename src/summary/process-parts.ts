// An episode may be recorded by several vmtel processes in turn (pm2 restarts one that crashed):
// the episode's span runs from the first start to the last stop, each process recorded a part of
// it, and between parts nothing was recorded. The parts come from events.jsonl (each process
// opens with episode_started and, if it stopped cleanly, closes with episode_stopped); a process
// that died without a word ends at its last event or row, whichever is later.
import { lastRowWallBefore } from './last-row-before';
import type { SummaryEvent } from './events-file';

export interface ProcessPart {
  pid: number | null;
  startWallNs: number;
  endWallNs: number;
  /** stopped: with episode_stopped; running: the live holder of the run dir; died: neither. */
  end: 'stopped' | 'running' | 'died';
  stopReason: string | null;
}

export interface Gap {
  fromWallNs: number;
  toWallNs: number;
}

/** The parts of the episode whose events are `events`, rows in `rowFiles`; `livePid` holds it now. */
export function processParts(events: readonly SummaryEvent[], rowFiles: readonly string[], livePid: number | null, nowWallNs: number): ProcessPart[] {
  const startIndexes = events.flatMap((e, index) => (e.source === 'orchestrator' && e.event === 'episode_started' ? [index] : []));
  return startIndexes.map((startIndex, i) => {
    const nextIndex = startIndexes[i + 1];
    const own = events.slice(startIndex, nextIndex ?? events.length);
    const started = own[0]!;
    const pid = typeof started.fields['pid'] === 'number' ? started.fields['pid'] : null;
    const stopped = own.find((e) => e.source === 'orchestrator' && e.event === 'episode_stopped');
    const base = { pid, startWallNs: started.tWallNs };
    if (stopped !== undefined) {
      return { ...base, endWallNs: stopped.tWallNs, end: 'stopped', stopReason: String(stopped.fields['reason'] ?? '') || null };
    }
    if (nextIndex === undefined && livePid !== null && livePid === pid) return { ...base, endWallNs: nowWallNs, end: 'running', stopReason: null };
    const nextStartWallNs = nextIndex === undefined ? null : events[nextIndex]!.tWallNs;
    const lastRows = rowFiles.map((file) => lastRowWallBefore(file, nextStartWallNs)).filter((wall): wall is number => wall !== null);
    return { ...base, endWallNs: Math.max(own.at(-1)!.tWallNs, ...lastRows.filter((wall) => wall >= started.tWallNs)), end: 'died', stopReason: null };
  });
}

/** The stretches between consecutive parts. */
export function gapsBetween(parts: readonly ProcessPart[]): Gap[] {
  return parts.slice(1).map((part, i) => ({ fromWallNs: parts[i]!.endWallNs, toWallNs: part.startWallNs }));
}
