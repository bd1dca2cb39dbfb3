// What events.jsonl says about an episode's timeline: when it ran, when the VM was paused, when
// the orchestrator was down, when a collector was restarting, when the guest was silent or QEMU
// gone; plus markers, phases and QMP events for the charts. Gaps found in the rows are explained
// from these spans (gap-causes.ts).
import type { ExactJson } from '../sink/exact-json';
import type { RunEvent } from '../run-dir';
import type { Marker, OrchestratorRestart, TimelineEvent } from './report-types';

/** A stretch of the timeline that explains a gap of `source` (or of every source when null). */
export interface CauseSpan {
  startNs: number;
  endNs: number;
  source: string | null;
  cause: string;
  /** A VM pause (QMP STOP): the guest's clock stands still. */
  paused: boolean;
  /** Nothing was there to record: the VM paused or shutting down, the guest not up yet. */
  excused: boolean;
}

const GUEST_SILENCE_EVENTS = new Set(['guest_agent_stalled', 'guest_agent_silent_window', 'guest_agent_resumed']);

export class EpisodeEvents {
  firstStartNs: number | null = null;
  lastEventNs = 0;
  stoppedNs: number | null = null;
  readonly causes: CauseSpan[] = [];
  readonly markers: Marker[] = [];
  readonly qmpEvents: TimelineEvent[] = [];
  readonly restarts: OrchestratorRestart[] = [];
  readonly gaveUp = new Set<string>();
  readonly collectorRestarts = new Map<string, number>();
  readonly byName: Record<string, number> = {};
  /** Per source: its first collector_started and its last collector_stopped. */
  readonly activeNs = new Map<string, { startNs: number; stopNs: number | null }>();
  // The last event of the process before the latest start: where the orchestrator went down.
  private lastEventBeforeStartNs = 0;
  private pausedSinceNs: number | null = null;
  private readonly failedSinceNs = new Map<string, { tNs: number; reason: string }>();
  private readonly disconnectedSinceNs = new Map<string, number>();
  private readonly sawFirstByte = new Set<string>();

  add(event: RunEvent): void {
    const tNs = Number(event.tMonoNs);
    const f = event.fields;
    this.byName[event.event] = (this.byName[event.event] ?? 0) + 1;
    switch (event.event) {
      case 'episode_started':
        if (this.firstStartNs === null) this.firstStartNs = tNs;
        this.lastEventBeforeStartNs = this.lastEventNs;
        break;
      case 'orchestrator_restarted':
        this.restarts.push({ downFromS: this.lastEventBeforeStartNs / 1e9, downToS: tNs / 1e9, count: numberOf(f['count']) });
        this.causes.push({ startNs: this.lastEventBeforeStartNs, endNs: tNs, source: null, cause: 'orchestrator down between two starts', paused: false, excused: false });
        break;
      case 'episode_stopped':
        this.stoppedNs = Math.max(this.stoppedNs ?? 0, tNs);
        break;
      case 'qmp_event':
        this.qmpEvent(String(f['qmp_event']), tNs, event.source);
        break;
      case 'collector_failed':
        this.failedSinceNs.set(event.source, { tNs, reason: String(f['message'] ?? f['code'] ?? 'failed') });
        break;
      case 'collector_started':
        this.collectorStarted(event.source, tNs);
        if (!this.activeNs.has(event.source)) this.activeNs.set(event.source, { startNs: tNs, stopNs: null });
        break;
      case 'collector_stopped':
        {
          const active = this.activeNs.get(event.source);
          if (active !== undefined) active.stopNs = tNs;
        }
        break;
      case 'collector_restarted':
        this.collectorRestarts.set(event.source, (this.collectorRestarts.get(event.source) ?? 0) + 1);
        break;
      case 'collector_gave_up':
        this.gaveUp.add(event.source);
        this.causes.push({ startNs: tNs, endNs: Infinity, source: event.source, cause: 'collector gave up after repeated failures', paused: false, excused: false });
        break;
      case 'collector_unresponsive':
      case 'vmtel_stalled':
        this.causes.push({ startNs: tNs, endNs: tNs, source: event.event === 'vmtel_stalled' ? null : event.source, cause: `${event.event.replace('_', ' ')}`, paused: false, excused: false });
        break;
      case 'guest_agent_disconnected':
        if (f['reason'] !== 'stopped') this.disconnectedSinceNs.set(event.source, tNs);
        break;
      case 'guest_agent_reconnected':
      case 'guest_agent_reconnect_abandoned':
        this.guestReconnected(event.source, tNs);
        break;
      case 'qemu_process_exited':
      case 'qmp_disconnected':
        this.causes.push({ startNs: tNs, endNs: Infinity, source: null, cause: `QEMU gone (${event.event.replaceAll('_', ' ')})`, paused: false, excused: false });
        break;
      case 'guest_agent_first_byte':
        this.firstByte(event.source, tNs);
        break;
      case 'marker':
        this.markers.push({ tS: tNs / 1e9, name: String(f['name'] ?? ''), phase: f['phase'] === true, labels: labelsOf(f['labels']) });
        break;
      default:
        if (GUEST_SILENCE_EVENTS.has(event.event)) {
          const silentNs = numberOf(f['silent_s'] ?? f['window_s']) * 1e9;
          this.causes.push({ startNs: tNs - silentNs, endNs: tNs, source: event.source, cause: 'guest silent or stalled (the agent sent nothing)', paused: false, excused: false });
        }
    }
    if (event.event !== 'episode_started') this.lastEventNs = Math.max(this.lastEventNs, tNs);
  }

  /** Closes spans still open at the end of the episode. */
  finish(endNs: number): void {
    if (this.pausedSinceNs !== null) this.pushPause(this.pausedSinceNs, endNs);
    for (const [source, since] of this.disconnectedSinceNs) this.causes.push(disconnected(source, since, endNs));
    for (const cause of this.causes) if (cause.endNs === Infinity) cause.endNs = endNs;
    this.markers.sort((a, b) => a.tS - b.tS);
    this.qmpEvents.sort((a, b) => a.tS - b.tS);
  }

  private qmpEvent(name: string, tNs: number, source: string): void {
    this.qmpEvents.push({ tS: tNs / 1e9, source, name });
    if (name === 'STOP' && this.pausedSinceNs === null) this.pausedSinceNs = tNs;
    else if (name === 'RESUME' && this.pausedSinceNs !== null) {
      this.pushPause(this.pausedSinceNs, tNs);
      this.pausedSinceNs = null;
    } else if (name === 'POWERDOWN' || name === 'SHUTDOWN') {
      this.causes.push({ startNs: tNs, endNs: Infinity, source: null, cause: `VM shutting down (QMP ${name})`, paused: false, excused: true });
    }
  }

  private pushPause(startNs: number, endNs: number): void {
    this.causes.push({ startNs, endNs, source: null, cause: 'VM paused by QMP STOP', paused: true, excused: true });
  }

  // Before the guest agent's first row the guest was starting: nothing to record yet.
  private firstByte(source: string, tNs: number): void {
    if (this.sawFirstByte.has(source)) return;
    this.sawFirstByte.add(source);
    this.causes.push({ startNs: -Infinity, endNs: tNs, source, cause: 'the guest agent had not written yet (the guest starting)', paused: false, excused: true });
  }

  private collectorStarted(source: string, tNs: number): void {
    const failed = this.failedSinceNs.get(source);
    if (failed === undefined) return;
    this.causes.push({ startNs: failed.tNs, endNs: tNs, source, cause: `collector restarting after it failed (${failed.reason})`, paused: false, excused: false });
    this.failedSinceNs.delete(source);
  }

  private guestReconnected(source: string, tNs: number): void {
    const since = this.disconnectedSinceNs.get(source);
    if (since === undefined) return;
    this.causes.push(disconnected(source, since, tNs));
    this.disconnectedSinceNs.delete(source);
  }
}

function disconnected(source: string, startNs: number, endNs: number): CauseSpan {
  return { startNs, endNs, source, cause: 'guest agent disconnected', paused: false, excused: false };
}

function numberOf(value: ExactJson | undefined): number {
  return typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : 0;
}

function labelsOf(value: ExactJson | undefined): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? v : String(v)]));
}
