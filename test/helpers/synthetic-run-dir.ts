// Writes a run dir as vmtel would have recorded it, with defects placed exactly where a test
// (or the report benchmark) wants them: gaps, seq holes, a drifting and stepping guest clock, a
// VM pause, an orchestrator restart, drops, a source without rows. The figures a report must find
// are then known to the nanosecond. Rows are written in 1 MiB batches, so an hour at 2,000 rows/s
// is written in seconds.
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { toJson } from '../../src/sink/json-line';

export interface Span {
  fromS: number;
  toS: number;
}

export interface SyntheticGuest {
  rateHz: number;
  driftPpm?: number;
  /** The guest's clock jumps by `sizeNs` at `atS`. */
  steps?: Array<{ atS: number; sizeNs: number }>;
  /** Rows never written (seq keeps counting: a hole of the right size). */
  seqHoles?: Array<{ atS: number; missing: number }>;
  /** Delivery delay: a base plus a deterministic spread, ns. */
  delayNs?: { base: number; spread: number };
  /** Rows carry t_guest_host_ns, the host instant the guest sampled. */
  hostSampleStamp?: boolean;
}

export interface SyntheticSampler {
  name: string;
  kind: string;
  intervalMs: number;
  /** No rows in these spans (without any event saying why). */
  gaps?: Span[];
  /** Enabled but never wrote a row. */
  empty?: boolean;
  /** Every tick whose number is a multiple of this is missed (no row, no gap). */
  missEvery?: number;
  /** No row before this time: the source was still being connected to. */
  firstRowFromS?: number;
}

export interface SyntheticEpisode {
  durationS: number;
  guest?: SyntheticGuest;
  samplers?: SyntheticSampler[];
  /** QMP STOP .. RESUME: the guest is silent and its clock stands still. */
  pause?: Span;
  /** The orchestrator is down over this span (no rows from anyone), then starts again. */
  restart?: Span;
  dropped?: Record<string, Record<string, number>>;
  report?: Record<string, number>;
  markers?: Array<{ atS: number; name: string; phase: boolean }>;
  labels?: Record<string, string>;
}

const S = 1e9;
const WALL_ORIGIN_NS = 1_795_981_198_573_983_499n;
const GUEST_MONO_ORIGIN_NS = 376_829_748_741n;
const GUEST_WALL_SKEW_NS = -1_445_541n;
const BATCH_CHARS = 1 << 20;

/** Writes the episode into `runDir` (created if missing). */
export function writeSyntheticRunDir(runDir: string, episode: SyntheticEpisode): void {
  mkdirSync(runDir, { recursive: true });
  const samplers = episode.samplers ?? [];
  const sources = [...(episode.guest ? [{ name: 'guest_agent', kind: 'guest_agent', intervalMs: null as number | null }] : []), ...samplers];
  const down = (tS: number) => episode.restart !== undefined && tS >= episode.restart.fromS && tS < episode.restart.toS;
  const rows: Record<string, number> = {};
  if (episode.guest) rows['guest_agent'] = writeGuest(join(runDir, 'telemetry-guest_agent.jsonl'), episode, down);
  for (const sampler of samplers) rows[sampler.name] = sampler.empty ? 0 : writeSampler(join(runDir, `telemetry-${sampler.name}.jsonl`), sampler, episode.durationS, down);
  writeEvents(runDir, episode, sources.map((s) => s.name));
  writeManifest(runDir, episode, sources, rows);
}

function writeGuest(path: string, episode: SyntheticEpisode, down: (tS: number) => boolean): number {
  const guest = episode.guest!;
  const out = new BatchedFile(path);
  const periodNs = S / guest.rateHz;
  let seq = 0;
  let written = 0;
  const holes = [...(guest.seqHoles ?? [])];
  for (let i = 1; i * periodNs < episode.durationS * S; i++) {
    const sampledNs = i * periodNs;
    const tS = sampledNs / S;
    const pause = episode.pause;
    if ((pause !== undefined && tS >= pause.fromS && tS < pause.toS) || down(tS)) continue;
    if (holes.length > 0 && tS >= holes[0]!.atS) seq += holes.shift()!.missing;
    // The guest's clock: drifts, steps, and stands still while the VM is paused.
    let guestNs = sampledNs * (1 + (guest.driftPpm ?? 0) * 1e-6);
    for (const step of guest.steps ?? []) if (tS >= step.atS) guestNs += step.sizeNs;
    if (pause !== undefined && tS >= pause.toS) guestNs -= (pause.toS - pause.fromS) * S;
    const delay = guest.delayNs ?? { base: 200_000, spread: 800_000 };
    const tMonoNs = Math.round(sampledNs + delay.base + ((i * 7919) % 1000) / 1000 * delay.spread);
    const guestMono = GUEST_MONO_ORIGIN_NS + BigInt(Math.round(guestNs));
    const guestWall = WALL_ORIGIN_NS + BigInt(Math.round(guestNs)) + GUEST_WALL_SKEW_NS;
    const sampleStamp = guest.hostSampleStamp === true ? `"t_guest_host_ns":${Math.round(sampledNs)},` : '';
    out.write(
      `{"t_mono_ns":${tMonoNs},"t_wall_ns":${WALL_ORIGIN_NS + BigInt(tMonoNs)},"source":"guest_agent","available_in_deployment":true,${sampleStamp}` +
        `"seq":${seq},"t_guest_mono_ns":${guestMono},"t_guest_wall_ns":${guestWall},"cpu_pct":${(i % 100) / 3},"mem_used_kib":${1048576 + (i % 4096)},"procs":${100 + (i % 7)},"load":{"seq":-1,"one":0.5}}\n`,
    );
    seq += 1;
    written += 1;
  }
  out.close();
  return written;
}

function writeSampler(path: string, sampler: SyntheticSampler, durationS: number, down: (tS: number) => boolean): number {
  const out = new BatchedFile(path);
  let written = 0;
  for (let tick = 1; tick * sampler.intervalMs < durationS * 1000; tick++) {
    const tMonoNs = tick * sampler.intervalMs * 1e6 + 150_000;
    const tS = tMonoNs / S;
    if (down(tS) || (sampler.gaps ?? []).some((g) => tS >= g.fromS && tS < g.toS)) continue;
    if ((sampler.missEvery !== undefined && tick % sampler.missEvery === 0) || tS < (sampler.firstRowFromS ?? 0)) continue;
    out.write(`{"t_mono_ns":${tMonoNs},"t_wall_ns":${WALL_ORIGIN_NS + BigInt(tMonoNs)},"source":"${sampler.name}","available_in_deployment":false,"tick":${tick},"missed_before":0,"cpu":{"user_ms":${tick * 3},"user_ms_delta":3}}\n`);
    written += 1;
  }
  out.close();
  return written;
}

function writeEvents(runDir: string, episode: SyntheticEpisode, sources: string[]): void {
  const lines: Array<Record<string, unknown>> = [];
  const event = (tS: number, source: string, name: string, fields: Record<string, unknown> = {}) =>
    lines.push({ t_mono_ns: Math.round(tS * S), t_wall_ns: WALL_ORIGIN_NS + BigInt(Math.round(tS * S)), source, event: name, ...fields });
  const start = (tS: number) => {
    event(tS, 'orchestrator', 'episode_started', { vm: 'vm1', episode: 'ep1' });
    for (const source of sources) event(tS + 0.001, source, 'collector_started', { attempt: 0 });
  };
  start(0.0005);
  if (episode.pause) {
    event(episode.pause.fromS, 'qmp', 'qmp_event', { qmp_event: 'STOP' });
    event(episode.pause.toS, 'qmp', 'qmp_event', { qmp_event: 'RESUME' });
  }
  if (episode.restart) {
    event(episode.restart.fromS - 0.001, 'orchestrator', 'stop_requested', { reason: 'pretend crash' });
    start(episode.restart.toS);
    event(episode.restart.toS + 0.002, 'orchestrator', 'orchestrator_restarted', { count: 1 });
  }
  for (const marker of episode.markers ?? []) event(marker.atS, 'control', 'marker', { name: marker.name, phase: marker.phase, labels: {} });
  for (const source of sources) event(episode.durationS, source, 'collector_stopped', { reason: 'stopped' });
  event(episode.durationS + 0.001, 'orchestrator', 'episode_stopped', { reason: 'duration' });
  lines.sort((a, b) => (a['t_mono_ns'] as number) - (b['t_mono_ns'] as number));
  writeFileSync(join(runDir, 'events.jsonl'), lines.map((line) => `${toJson(line)}\n`).join(''));
}

function writeManifest(runDir: string, episode: SyntheticEpisode, sources: Array<{ name: string; kind: string; intervalMs: number | null }>, rows: Record<string, number>): void {
  const output = (name: string) => join(runDir, `telemetry-${name}.jsonl`);
  const manifest = {
    vmtel_version: '0.1.0', vm: 'vm1', episode: 'ep1', status: 'stopped',
    t_mono_origin_ns: 376_695_729_008n, boot_id: 'synthetic', segment: 0,
    started_wall_ns: WALL_ORIGIN_NS, started_at: '2026-11-29T19:39:58.573Z',
    stopped_wall_ns: WALL_ORIGIN_NS + BigInt(episode.durationS * S), stopped_at: null, stop_reason: 'duration', duration_s: episode.durationS,
    orchestrator_restarts: episode.restart ? 1 : 0, starts: [],
    config_path: join(runDir, 'vm1.yaml'), config_digest: '0',
    config: {
      vm: 'vm1', episode: 'ep1', run_dir: runDir,
      ...(episode.report ? { report: episode.report } : {}),
      collectors: Object.fromEntries(sources.map((s) => [s.name, { kind: s.kind, enabled: true, output: output(s.name), options: s.intervalMs === null ? {} : { interval_ms: s.intervalMs } }])),
    },
    collectors: Object.fromEntries(sources.map((s) => [s.name, {
      kind: s.kind, enabled: true, output: output(s.name), available_in_deployment: s.kind === 'guest_agent', status: 'stopped', restarts: 0, last_reason: 'stopped',
      rows: rows[s.name] ?? 0, bytes: 0, dropped: episode.dropped?.[s.name] ?? {}, stats: {},
    }])),
    torn_lines: [],
    ...(episode.labels ? { labels: episode.labels } : {}),
  };
  writeFileSync(join(runDir, 'episode.json'), `${toJson(manifest)}\n`);
}

// Appends text to a file in 1 MiB writes.
class BatchedFile {
  private readonly fd: number;
  private pending: string[] = [];
  private chars = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  write(text: string): void {
    this.pending.push(text);
    this.chars += text.length;
    if (this.chars >= BATCH_CHARS) this.flush();
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private flush(): void {
    writeSync(this.fd, this.pending.join(''));
    this.pending = [];
    this.chars = 0;
  }
}
