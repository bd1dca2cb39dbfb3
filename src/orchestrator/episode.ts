// One episode from start to stop: take the run dir, decide the timeline, start a supervised
// worker per enabled collector, and stop them all on the first of: a signal, --duration, a
// collector ending the episode (the VM shut down), or every collector having finished. Whatever
// the stop, every file is flushed and whole and the manifest is written last.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CollectorCounts } from '../collectors/contract';
import type { EpisodeConfig } from '../config/episode-config';
import { STOP_STATE } from '../control/control-block';
import type { Logger } from '../log/logger';
import { drainShipper, episodeShipper } from '../fleet/episode-shipper';
import { EVENTS_FILE } from '../run-dir-files';
import { countLines } from '../sink/count-lines';
import { emptyCounts } from './collector-counts';
import { CollectorSupervisor, countFields } from './collector-supervisor';
import { openManifest, startEpisode, type EpisodeStart } from './episode-start';
import { EventLog } from './event-log';
import { isoOf, writeManifest, type Manifest } from './manifest';
import { MANIFEST_INTERVAL_MS } from './manifest-interval';
import { RunDirLock } from './run-dir-lock';
import { recordStart } from './start-events';
import { stopWithinGrace } from './stop-within-grace';

export interface EpisodeOptions {
  logger: Logger;
  /** Stop after this many seconds; undefined runs until a signal or the VM ends the episode. */
  durationS?: number;
  /** Whether SIGINT/SIGTERM stop the episode (true for the CLI; tests may drive stop themselves). */
  handleSignals: boolean;
  /**
   * Called once, when every collector has started or START_SETTLE_MS after their workers were
   * started, whichever is first: the start is over, and work put off until then can run.
   */
  onStarted?: () => void;
}

// A collector that fails as it starts is restarted and may never say it started; the start is
// taken to be over after this long regardless.
const START_SETTLE_MS = 2000;

export interface EpisodeSummary {
  reason: string;
  durationS: number;
  collectors: Manifest['collectors'];
}

// An earlier process's counts, with rows and bytes taken from its file: the manifest it left may
// be seconds older than its last write. Drops and figures exist only in the manifest.
function countsOnDisk(outputPath: string, earlier: CollectorCounts): CollectorCounts {
  const onDisk = countLines(outputPath);
  return { rows: onDisk.lines, bytes: onDisk.bytes, dropped: earlier.dropped, stats: earlier.stats };
}

/** Runs the episode to its end; rejects only when it cannot start (the run dir is taken, say). */
export async function runEpisode(config: EpisodeConfig, options: EpisodeOptions): Promise<EpisodeSummary> {
  const { logger } = options;
  mkdirSync(config.runDir, { recursive: true });
  const lock = RunDirLock.acquire(config.runDir);
  let start: EpisodeStart;
  try {
    start = startEpisode(config);
  } catch (err) {
    lock.release();
    throw err;
  }
  const { control, previous } = start;
  const events = new EventLog(join(config.runDir, EVENTS_FILE), control);
  const startedMonoNs = control.monoNs();
  const startedWallNs = control.wallNsAt(startedMonoNs);

  const manifest = openManifest(config, start, startedWallNs);

  recordStart(events, logger, config, start, manifest.orchestrator_restarts);
  const shipper = episodeShipper(config, events, logger);

  let stopReason: string | null = null;
  let resolveStopRequested: () => void = () => undefined;
  const stopRequested = new Promise<void>((resolve) => (resolveStopRequested = resolve));
  const hurried = new AbortController();
  const requestStop = (reason: string, fields: Record<string, unknown> = {}): void => {
    if (stopReason !== null) return;
    stopReason = reason;
    events.record('orchestrator', 'stop_requested', { reason, ...fields });
    logger.info(`stopping: ${reason}`);
    control.requestStop(STOP_STATE.stop);
    resolveStopRequested();
  };

  const shared = new Map<string, unknown>();
  const supervisors: CollectorSupervisor[] = [];
  const notYetStarted = new Set(config.collectors.filter((c) => c.enabled).map((c) => c.name));
  let startSettleTimer: NodeJS.Timeout | undefined;
  let onStarted = options.onStarted;
  const startSettled = (): void => {
    clearTimeout(startSettleTimer);
    const call = onStarted;
    onStarted = undefined;
    call?.();
    // The shipper's thread boots once the collectors' have: it must not slow their start.
    if (shipper !== null && !shipper.started) shipper.start();
  };
  const hooks = {
    control,
    events,
    logger,
    shared,
    publish(from: string, topic: string, value: unknown) {
      shared.set(topic, value);
      for (const supervisor of supervisors) {
        if (supervisor.config.name !== from) supervisor.send({ type: 'shared', topic, value });
      }
    },
    started(supervisor: CollectorSupervisor) {
      if (notYetStarted.delete(supervisor.config.name) && notYetStarted.size === 0) startSettled();
    },
    endEpisode(from: string, reason: string) {
      requestStop(reason, { requested_by: from });
    },
    settled() {
      if (supervisors.every((s) => s.status !== 'running' && s.status !== 'restart_pending')) {
        requestStop('all_collectors_finished');
      }
    },
  };

  const refreshCollectors = (): void => {
    for (const collector of config.collectors) {
      const supervisor = supervisors.find((s) => s.config.name === collector.name);
      const counts = supervisor?.counts() ?? previous?.collectors[collector.name] ?? emptyCounts();
      manifest.collectors[collector.name] = {
        kind: collector.kind,
        enabled: collector.enabled,
        output: collector.outputPath,
        available_in_deployment: collector.availableInDeployment,
        status: supervisor?.status ?? 'disabled',
        restarts: supervisor?.restarts ?? 0,
        last_reason: supervisor?.lastReason ?? null,
        rows: counts.rows,
        bytes: counts.bytes,
        dropped: counts.dropped,
        stats: counts.stats,
      };
    }
  };

  for (const collector of config.collectors.filter((c) => c.enabled)) {
    const earlier = previous?.collectors[collector.name];
    supervisors.push(
      new CollectorSupervisor(collector, config, hooks, {
        counts: earlier === undefined ? emptyCounts() : countsOnDisk(collector.outputPath, earlier),
        restarts: earlier?.restarts ?? 0,
      }),
    );
  }
  // The manifest, and with it the timeline's origin, is in the file before any worker can write a
  // row stamped against that origin, so a crash of vmtel never leaves rows on a lost timeline.
  // Without an fsync: on the start path it waited on the disk (up to 100 ms here, and it held up
  // the workers' first file creations in a new run dir). A crash of the host loses what is not on
  // disk, rows included (they are not fsynced either); the next rewrite, 5 s on, is durable.
  refreshCollectors();
  writeManifest(config.runDir, manifest, { durable: false });
  // Workers boot in threads of their own while this thread finishes its setup; none of their
  // messages is handled before the setup below, which is synchronous, is done.
  for (const supervisor of supervisors) supervisor.start();
  startSettleTimer = setTimeout(startSettled, START_SETTLE_MS).unref();
  logger.info(`episode ${config.episode} of vm ${config.vm} recording into ${config.runDir}`);

  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopReason === null) {
      requestStop('signal', { signal });
    } else {
      events.record('orchestrator', 'stop_hurried', { signal });
      logger.warn(`second ${signal}: finishing fast`);
      control.requestStop(STOP_STATE.hurry);
      hurried.abort();
    }
  };
  if (options.handleSignals) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  const manifestTimer = setInterval(() => {
    refreshCollectors();
    writeManifest(config.runDir, manifest);
  }, MANIFEST_INTERVAL_MS);
  const durationTimer =
    options.durationS === undefined ? null : setTimeout(() => requestStop('duration', { duration_s: options.durationS }), options.durationS * 1000);

  await stopRequested;
  clearTimeout(startSettleTimer);
  if (durationTimer !== null) clearTimeout(durationTimer);

  await stopWithinGrace(supervisors, config.stopGraceMs, hurried.signal);
  clearInterval(manifestTimer);
  if (options.handleSignals) {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  const stoppedMonoNs = control.monoNs();
  const durationS = Number(stoppedMonoNs - startedMonoNs) / 1e9;
  refreshCollectors();
  Object.assign(manifest, {
    status: 'stopped',
    stopped_wall_ns: control.wallNsAt(stoppedMonoNs),
    stopped_at: isoOf(control.wallNsAt(stoppedMonoNs)),
    stop_reason: stopReason,
    duration_s: durationS,
  });
  events.record('orchestrator', 'episode_stopped', {
    reason: stopReason,
    duration_s: durationS,
    collectors: Object.fromEntries(supervisors.map((s) => [s.config.name, { status: s.status, ...countFields(s.counts()) }])),
  });
  writeManifest(config.runDir, manifest);
  events.close();
  if (shipper !== null) await drainShipper(shipper, config, manifest, () => writeManifest(config.runDir, manifest));
  lock.release();
  return {
    reason: stopReason ?? 'unknown',
    durationS,
    collectors: manifest.collectors,
  };
}
